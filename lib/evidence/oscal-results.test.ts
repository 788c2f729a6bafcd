import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import Ajv, { type ValidateFunction } from "ajv";
import addFormats from "ajv-formats";
import { beforeAll, describe, expect, it } from "vitest";
import { buildAssessmentResults, OSCAL_VERSION, oscalToken, uuidV5, type AssessmentResultsInput } from "./oscal-results";
import { sampleRequirements } from "./test-helpers";

// The official NIST schema, vendored unmodified (see fixtures/README.md).
const SCHEMA_PATH = join(import.meta.dirname, "fixtures", "oscal_assessment-results_schema.json");
const SCHEMA_SHA256 = "4f9e277a177adbcca9527612ce450a33dc6096773fa229d413d801d196c61985";

const input: AssessmentResultsInput = {
  packageId: "pkg_2026q4",
  title: "Warrant assessment results, Q4 2026",
  version: "pkg_2026q4",
  generatedAt: new Date("2027-01-02T08:30:00.000Z"),
  period: { from: new Date("2026-10-01T00:00:00.000Z"), to: new Date("2026-12-31T23:59:59.000Z") },
  requirements: sampleRequirements(),
};

type Json = Record<string, unknown> & { [key: string]: any }; // eslint-disable-line @typescript-eslint/no-explicit-any

let validate: ValidateFunction;

beforeAll(() => {
  const bytes = readFileSync(SCHEMA_PATH);
  expect(createHash("sha256").update(bytes).digest("hex")).toBe(SCHEMA_SHA256);
  const schema = JSON.parse(bytes.toString("utf8"));
  expect(schema.$id).toBe("http://csrc.nist.gov/ns/oscal/1.2.1/oscal-ar-schema.json");
  // OSCAL's token patterns use \p{L} and \p{N}, which need unicode regular expressions; strict mode rejects the schema's own extensions.
  const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: true });
  addFormats(ajv);
  validate = ajv.compile(schema);
});

function errorsOf(document: unknown): string[] {
  return validate(document) ? [] : (validate.errors ?? []).map((error) => `${error.instancePath} ${error.message}`);
}

describe("buildAssessmentResults", () => {
  it("builds a document the official OSCAL assessment-results schema accepts", () => {
    expect(errorsOf(buildAssessmentResults(input))).toEqual([]);
  });

  it("is rejected by the schema when a required field is missing or a value is out of range (the validator is live)", () => {
    const withoutVersion = buildAssessmentResults(input) as Json;
    delete withoutVersion["assessment-results"].metadata["oscal-version"];
    expect(errorsOf(withoutVersion).join("\n")).toContain("must have required property 'oscal-version'");

    const badState = buildAssessmentResults(input) as Json;
    badState["assessment-results"].results[0].findings[0].target.status.state = "passing";
    expect(errorsOf(badState).join("\n")).toContain(
      "/assessment-results/results/0/findings/0/target/status/state must be equal to one of the allowed values",
    );

    const badUuid = buildAssessmentResults(input) as Json;
    badUuid["assessment-results"].uuid = "00000000-0000-1000-8000-000000000000"; // a version 1 UUID
    expect(errorsOf(badUuid).join("\n")).toContain("/assessment-results/uuid must match pattern");

    const badToken = buildAssessmentResults(input) as Json;
    badToken["assessment-results"].results[0].findings[1].target["target-id"] = "AC-2(3)";
    expect(errorsOf(badToken).join("\n")).toContain("/assessment-results/results/0/findings/1/target/target-id must match pattern");
  });

  it("has one finding per requirement, satisfied or not, and one observation per control, pointing at its evidence files", () => {
    const document = buildAssessmentResults(input) as Json;
    const root = document["assessment-results"];
    expect(root.metadata["oscal-version"]).toBe(OSCAL_VERSION);
    const result = root.results[0];
    expect(result.start).toBe("2026-10-01T00:00:00.000Z");
    expect(result.end).toBe("2026-12-31T23:59:59.000Z");

    expect(result.findings.map((finding: Json) => [finding.target["target-id"], finding.target.status.state])).toEqual([
      ["AC-2", "satisfied"],
      ["AC-2_3_", "not-satisfied"],
      ["NHI7_2025", "satisfied"],
    ]);
    // The code as the framework writes it is kept beside the token.
    expect(result.findings[1].props).toContainEqual({ name: "requirement-code", ns: "urn:warrant:oscal", value: "AC-2(3)" });

    // WAR-OWN-1 backs two requirements but is observed once.
    expect(result.observations.map((observation: Json) => observation.props[0].value)).toEqual(["WAR-OWN-1", "WAR-REV-2", "WAR-CRD-3"]);
    const review = result.observations[1];
    expect(review["relevant-evidence"].map((evidence: Json) => evidence.href)).toEqual(["reviews/reviews.json", "audit/events.jsonl"]);
    expect(review.links).toContainEqual({ href: "reviews/reviews.json", rel: "evidence", "media-type": "application/json" });
    expect(result.observations[2]["relevant-evidence"]).toBeUndefined();

    const observationUuids = new Map<string, string>(result.observations.map((o: Json) => [o.props[0].value, o.uuid]));
    expect(result.findings[1]["related-observations"]).toEqual([
      { "observation-uuid": observationUuids.get("WAR-OWN-1") },
      { "observation-uuid": observationUuids.get("WAR-REV-2") },
    ]);

    expect(result["reviewed-controls"]["control-selections"]).toEqual([
      {
        props: [{ name: "framework-id", ns: "urn:warrant:oscal", value: "nist-800-53-r5" }],
        "include-controls": [{ "control-id": "AC-2" }, { "control-id": "AC-2_3_" }],
      },
      {
        props: [{ name: "framework-id", ns: "urn:warrant:oscal", value: "owasp-nhi-top-10-2025" }],
        "include-controls": [{ "control-id": "NHI7_2025" }],
      },
    ]);
  });

  it("gives the same document, UUIDs included, for the same package", () => {
    expect(JSON.stringify(buildAssessmentResults(input))).toBe(JSON.stringify(buildAssessmentResults({ ...input })));
    const other = buildAssessmentResults({ ...input, packageId: "pkg_other" }) as Json;
    expect(other["assessment-results"].uuid).not.toBe((buildAssessmentResults(input) as Json)["assessment-results"].uuid);
  });

  it("refuses to build a document with nothing assessed", () => {
    expect(() => buildAssessmentResults({ ...input, requirements: [] })).toThrow(/at least one requirement/);
  });
});

describe("uuidV5", () => {
  it("matches RFC 9562's example (www.example.com in the DNS namespace)", () => {
    expect(uuidV5("www.example.com", "6ba7b810-9dad-11d1-80b4-00c04fd430c8")).toBe("2ed6657d-e927-568b-95e1-2665a8aea6a2");
  });
});

describe("oscalToken", () => {
  it("turns framework codes into OSCAL tokens", () => {
    expect(["AC-2", "AC-2(3)", "GV.OC-01", "NHI1:2025", "GOVERN 1.1", "1.2", " L7 "].map(oscalToken)).toEqual([
      "AC-2",
      "AC-2_3_",
      "GV.OC-01",
      "NHI1_2025",
      "GOVERN_1.1",
      "_1.2",
      "L7",
    ]);
  });
});
