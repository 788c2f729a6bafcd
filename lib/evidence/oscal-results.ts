import { createHash } from "node:crypto";
import type { AssessedRequirement, ControlResult, Period } from "./types";
import { CONTROL_STATUS_LABELS } from "./types";

// An OSCAL assessment-results document (OSCAL 1.2.x, JSON) for an evidence
// package: one result for the period, one observation per control result
// (pointing at the package files that back it), and one finding per
// requirement assessed, satisfied or not. Built from plain data so the job,
// the tests and the schema check all see the same document.

export const OSCAL_VERSION = "1.2.2";

/** Namespace of Warrant's own props. A name, not a location: nothing is served there. */
export const WARRANT_OSCAL_NS = "urn:warrant:oscal";

// Fixed namespace for the v5 UUIDs below: the same package always yields the
// same UUIDs, so rebuilding a package does not change its OSCAL document.
const UUID_NAMESPACE = "080f5dcd-e25d-453a-abc6-a480afadf7a0";

/** A version 5 (SHA-1, name-based) UUID, as RFC 9562 §5.5 defines it. */
export function uuidV5(name: string, namespace: string = UUID_NAMESPACE): string {
  const bytes = createHash("sha1")
    .update(Buffer.from(namespace.replace(/-/g, ""), "hex"))
    .update(name, "utf8")
    .digest()
    .subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x50;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * An OSCAL token (an XML NCName: a letter or "_", then letters, digits, ".",
 * "-", "_"). Framework codes such as "AC-2(3)" or "NHI1:2025" are not tokens,
 * so other characters become "_"; the code as written is kept in a prop.
 */
export function oscalToken(value: string): string {
  const replaced = value.trim().replace(/[^\p{L}\p{N}._-]/gu, "_");
  return /^[\p{L}_]/u.test(replaced) ? replaced : `_${replaced}`;
}

/** OSCAL's string type: one line, no whitespace at either end. Empty text has no valid form, so it becomes null. */
function oscalString(value: string): string | null {
  const collapsed = value.replace(/\s+/g, " ").trim();
  return collapsed === "" ? null : collapsed;
}

interface Prop {
  name: string;
  ns: string;
  value: string;
}

function props(entries: [name: string, value: string][]): Prop[] {
  return entries.flatMap(([name, value]) => {
    const text = oscalString(value);
    return text === null ? [] : [{ name, ns: WARRANT_OSCAL_NS, value: text }];
  });
}

const MEDIA_TYPES: Record<string, string> = {
  csv: "text/csv",
  json: "application/json",
  jsonl: "application/jsonl",
  pdf: "application/pdf",
};

function mediaTypeOf(path: string): string | undefined {
  return MEDIA_TYPES[path.slice(path.lastIndexOf(".") + 1).toLowerCase()];
}

export interface AssessmentResultsInput {
  /** The evidence package's id: every UUID in the document derives from it. */
  packageId: string;
  title: string;
  /** The document's version (OSCAL metadata.version), e.g. the package's id or build number. */
  version: string;
  generatedAt: Date;
  period: Period;
  requirements: AssessedRequirement[];
  /** Where the package's manifest is, relative to this document; import-ap points at it. */
  manifestHref?: string;
}

/** OSCAL wants a document, not a list, so the result is typed loosely: the schema test is what checks its shape. */
export type AssessmentResultsDocument = { "assessment-results": Record<string, unknown> };

export function buildAssessmentResults(input: AssessmentResultsInput): AssessmentResultsDocument {
  if (input.requirements.length === 0) throw new Error("an assessment-results document needs at least one requirement assessed");
  const uuid = (kind: string, key = "") => uuidV5(`${input.packageId}/${kind}/${key}`);
  const collected = input.generatedAt.toISOString();
  const manifestHref = input.manifestHref ?? "manifest.json";

  // One observation per control, however many requirements it backs.
  const controls = new Map<string, ControlResult>();
  for (const requirement of input.requirements) {
    for (const control of requirement.controls) if (!controls.has(control.controlId)) controls.set(control.controlId, control);
  }
  const observations = [...controls.values()].map((control) => {
    const evidence = [...new Set(control.evidence)];
    const status = CONTROL_STATUS_LABELS[control.status].toLowerCase();
    return {
      uuid: uuid("observation", control.controlId),
      title: oscalString(`${control.controlId}: ${control.title}`) ?? control.controlId,
      description:
        oscalString(`Control ${control.controlId} (${control.title}) was ${status} at the end of the period. ${control.measure}`) ?? "",
      props: props([
        ["control-id", control.controlId],
        ["control-status", control.status],
        ["measure", control.measure],
      ]),
      // Warrant's controls analyse the records it keeps (inventory, reviews, approvals, the audit log): NIST SP 800-53A's "examine".
      methods: ["EXAMINE"],
      collected,
      ...(evidence.length > 0
        ? {
            "relevant-evidence": evidence.map((path) => ({ href: path, description: `The package file ${path}.` })),
            links: evidence.map((path) => {
              const mediaType = mediaTypeOf(path);
              return { href: path, rel: "evidence", ...(mediaType ? { "media-type": mediaType } : {}) };
            }),
          }
        : {}),
    };
  });

  const findings = input.requirements.map((requirement) => {
    const passing = requirement.controls.filter((control) => control.status === "passing").length;
    const verdict = requirement.satisfied ? "Satisfied" : "Not satisfied";
    const basis =
      requirement.controls.length === 0
        ? "No control in Warrant assesses it."
        : `${passing} of ${requirement.controls.length} controls behind it are passing: ${requirement.controls
            .map((control) => `${control.controlId} ${CONTROL_STATUS_LABELS[control.status].toLowerCase()}`)
            .join(", ")}.`;
    const related = [...new Set(requirement.controls.map((control) => control.controlId))];
    return {
      uuid: uuid("finding", `${requirement.frameworkId}/${requirement.code}`),
      title: oscalString(`${requirement.frameworkTitle} ${requirement.code}: ${requirement.title}`) ?? requirement.code,
      description: `${verdict}. ${basis}`,
      props: props([
        ["framework-id", requirement.frameworkId],
        ["requirement-code", requirement.code],
      ]),
      target: {
        type: "objective-id",
        "target-id": oscalToken(requirement.code),
        status: { state: requirement.satisfied ? "satisfied" : "not-satisfied", reason: requirement.satisfied ? "pass" : "fail" },
      },
      ...(related.length > 0 ? { "related-observations": related.map((id) => ({ "observation-uuid": uuid("observation", id) })) } : {}),
    };
  });

  // reviewed-controls: per framework, the requirements assessed (each once).
  const byFramework = new Map<string, Set<string>>();
  for (const requirement of input.requirements) {
    const codes = byFramework.get(requirement.frameworkId) ?? new Set<string>();
    codes.add(oscalToken(requirement.code));
    byFramework.set(requirement.frameworkId, codes);
  }
  const controlSelections = [...byFramework].map(([frameworkId, codes]) => ({
    props: props([["framework-id", frameworkId]]),
    "include-controls": [...codes].map((code) => ({ "control-id": code })),
  }));

  const period = `${input.period.from.toISOString()} to ${input.period.to.toISOString()}`;
  return {
    "assessment-results": {
      uuid: uuid("assessment-results"),
      metadata: {
        title: oscalString(input.title) ?? "Warrant assessment results",
        "last-modified": collected,
        version: oscalString(input.version) ?? "1",
        "oscal-version": OSCAL_VERSION,
      },
      // Warrant has no OSCAL assessment plan; its plan is the package itself, whose manifest names the period, scope and frameworks.
      "import-ap": {
        href: manifestHref,
        remarks:
          "Warrant keeps no OSCAL assessment plan. This points at the evidence package's signed manifest, which names the period, the scope and the frameworks assessed.",
      },
      results: [
        {
          uuid: uuid("result"),
          title: `Warrant controls, ${period}`,
          description: `The state of Warrant's controls over ${period}, and the framework requirements they decide.`,
          start: input.period.from.toISOString(),
          end: input.period.to.toISOString(),
          "reviewed-controls": { "control-selections": controlSelections },
          ...(observations.length > 0 ? { observations } : {}),
          findings,
        },
      ],
    },
  };
}
