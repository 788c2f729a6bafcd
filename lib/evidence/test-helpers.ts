import { createHash, createPublicKey, generateKeyPairSync, sign, type KeyObject } from "node:crypto";
import { createWriteStream } from "node:fs";
import { pipeline } from "node:stream/promises";
import yauzl from "yauzl";
import { ZipFile } from "yazl";
import { checkpointMessage, keyIdOf, type Checkpoint } from "@/lib/audit/checkpoint";
import { GENESIS_HASH, hashAuditEvent } from "@/lib/audit/hash";
import {
  MANIFEST_FILE,
  PUBLIC_KEY_FILE,
  SIGNATURE_FILE,
  publicKeyToJwk,
  toAuditEventRecord,
  type AuditEventRecord,
  type Manifest,
} from "./format";
import type { EvidenceReport } from "./report-pdf";
import type { AssessedRequirement } from "./types";

// Sample data and zip surgery for the evidence tests (and the bench). Not a
// test file itself: vitest only collects *.test.ts.

export function ed25519Keys(): { privateKey: KeyObject; publicKey: KeyObject; keyId: string } {
  const { privateKey, publicKey } = generateKeyPairSync("ed25519");
  return { privateKey, publicKey, keyId: keyIdOf(publicKey) };
}

/** Audit events #1..#count chained from the genesis hash, as audit/events.jsonl records. */
export function* auditEvents(count: number, start = new Date("2026-10-01T00:00:00.000Z")): Generator<AuditEventRecord> {
  let prevHash = GENESIS_HASH;
  for (let seq = 1n; seq <= BigInt(count); seq += 1n) {
    const content = {
      seq,
      occurredAt: new Date(start.getTime() + Number(seq) * 60_000),
      actorType: seq % 7n === 0n ? "SYSTEM" : "USER",
      actorId: seq % 7n === 0n ? null : `user_${seq % 13n}`,
      actorLabel: seq % 7n === 0n ? "system" : `person${seq % 13n}@example.com`,
      action: ["identity.create", "review.attest", "approval.decide", "credential.rotate"][Number(seq % 4n)]!,
      targetType: "Identity",
      targetId: `idn_${seq % 101n}`,
      data: { reason: `change ${seq}`, fields: ["owner", "team"], note: "Zoë’s change — ok" },
    };
    const hash = hashAuditEvent(prevHash, content);
    yield toAuditEventRecord({ ...content, prevHash, hash });
    prevHash = hash;
  }
}

/** A checkpoint of one event, signed as writeCheckpoint signs them. */
export function signCheckpoint(event: AuditEventRecord, createdAt: Date, auditKey: KeyObject, auditPublicKey: KeyObject): Checkpoint {
  const content = { seq: BigInt(event.seq), hash: event.hash, createdAt };
  return { ...content, keyId: keyIdOf(auditPublicKey), signature: sign(null, checkpointMessage(content), auditKey).toString("base64") };
}

export function sampleRequirements(): AssessedRequirement[] {
  const owner = {
    controlId: "WAR-OWN-1",
    title: "Every identity has an owner",
    status: "passing" as const,
    measure: "42 of 42 active identities have an owner.",
    evidence: ["inventory/identities.csv"],
  };
  const review = {
    controlId: "WAR-REV-2",
    title: "Access is reviewed every quarter",
    status: "failing" as const,
    measure: "3 identities were not reviewed in the last 90 days.",
    evidence: ["reviews/reviews.json", "audit/events.jsonl"],
  };
  const tokens = {
    controlId: "WAR-CRD-3",
    title: "No long-lived agent tokens",
    status: "excepted" as const,
    measure: "1 token older than 90 days, under an approved exception.",
    evidence: [],
  };
  return [
    {
      frameworkId: "nist-800-53-r5",
      frameworkTitle: "NIST SP 800-53 Rev. 5",
      code: "AC-2",
      title: "Account Management",
      satisfied: true,
      controls: [owner],
    },
    {
      frameworkId: "nist-800-53-r5",
      frameworkTitle: "NIST SP 800-53 Rev. 5",
      code: "AC-2(3)",
      title: "Disable Accounts",
      satisfied: false,
      controls: [owner, review],
    },
    {
      frameworkId: "owasp-nhi-top-10-2025",
      frameworkTitle: "OWASP NHI Top 10 2025",
      code: "NHI7:2025",
      title: "Long-Lived Secrets",
      satisfied: true,
      controls: [tokens],
    },
  ];
}

/** A report with `rows` requirements, enough to make the framework table run over several pages. */
export function sampleReport(rows = 5): EvidenceReport {
  return {
    organization: "Example Corp — Łódź office ✓",
    period: { from: new Date("2026-10-01T00:00:00.000Z"), to: new Date("2026-12-31T23:59:59.000Z") },
    scope: "All AI coding agents of the platform teams (“core”, “data”) → 42 identities",
    generatedAt: new Date("2027-01-02T08:30:00.000Z"),
    generatedBy: "auditor@example.com",
    packageId: "pkg_2026q4",
    summary: { passing: 12, failing: 2, "not-applicable": 3, excepted: 1 },
    frameworks: [
      {
        id: "nist-800-53-r5",
        title: "NIST SP 800-53 Rev. 5",
        requirements: Array.from({ length: rows }, (_, index) => ({
          code: `AC-${index + 1}`,
          title: `Requirement number ${index + 1} with a title long enough to wrap onto a second line in its cell`,
          satisfied: index % 5 === 0 ? null : index % 3 !== 0,
          controls: [
            { controlId: "WAR-OWN-1", title: "Every identity has an owner", status: "passing" as const },
            {
              controlId: "WAR-REV-2",
              title: "Access is reviewed every quarter",
              status: index % 3 === 0 ? ("failing" as const) : ("passing" as const),
            },
          ],
        })),
      },
      { id: "owasp-nhi-top-10-2025", title: "OWASP NHI Top 10 2025", requirements: [] },
    ],
    exceptions: [
      {
        control: "WAR-CRD-3",
        object: "agent ci-bot (idn_17)",
        reason: "Vendor tool cannot rotate tokens yet; tracked in SEC-123 ≥ Q1",
        expiresAt: new Date("2027-03-31T00:00:00.000Z"),
        grantedBy: "lead@example.com",
        approvedBy: "ciso@example.com",
      },
    ],
    attestations: [
      {
        review: "Q4 access review, platform team",
        attestedBy: "owner@example.com",
        attestedAt: new Date("2026-12-15T10:00:00.000Z"),
        outcome: "Completed, 2 revoked",
      },
    ],
    approvals: [
      {
        request: "Grant prod-db write to agent deploy-bot",
        decision: "Approved",
        decidedBy: "manager@example.com",
        decidedAt: new Date("2026-11-03T09:12:00.000Z"),
        reason: "Release window 🚀",
      },
    ],
  };
}

/** Every entry of a (small, test-made) zip, in order. */
export async function readZipEntries(path: string): Promise<{ name: string; content: Buffer }[]> {
  const zip = await yauzl.openPromise(path, { lazyEntries: true, autoClose: false });
  try {
    const entries: { name: string; content: Buffer }[] = [];
    for await (const entry of zip.eachEntry()) {
      const chunks: Buffer[] = [];
      for await (const chunk of await zip.openReadStreamPromise(entry)) chunks.push(chunk as Buffer);
      entries.push({ name: entry.fileName, content: Buffer.concat(chunks) });
    }
    return entries;
  } finally {
    zip.close();
  }
}

export async function writeZipEntries(path: string, entries: { name: string; content: Buffer }[]): Promise<void> {
  const zip = new ZipFile();
  const written = pipeline(zip.outputStream, createWriteStream(path));
  for (const entry of entries) zip.addBuffer(entry.content, entry.name, { mtime: new Date("2027-01-01T00:00:00.000Z") });
  zip.end();
  await written;
}

/**
 * Copies the zip at `from` to `to`, passing each entry through `change`:
 * return new bytes to replace it, null to drop it, undefined to keep it.
 */
export async function rewriteZip(
  from: string,
  to: string,
  change: (name: string, content: Buffer) => Buffer | null | undefined,
): Promise<void> {
  const entries = await readZipEntries(from);
  const kept = entries.flatMap((entry) => {
    const changed = change(entry.name, entry.content);
    if (changed === null) return [];
    return [{ name: entry.name, content: changed ?? entry.content }];
  });
  await writeZipEntries(to, kept);
}

/** The same bytes with the one at `at` (default: the middle) changed. */
export function withOneByteChanged(content: Buffer, at = Math.floor(content.length / 2)): Buffer {
  const copy = Buffer.from(content);
  copy[at] = copy[at]! ^ 0x01;
  return copy;
}

const sha256 = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");

/**
 * What an attacker with a signing key can do: change files, fix up their
 * digests and sizes in the manifest (and anything else via `editManifest`),
 * and sign the result with `signingKey`, replacing the public key file.
 */
export async function resignPackage(
  from: string,
  to: string,
  options: {
    signingKey: KeyObject;
    change?: (name: string, content: Buffer) => Buffer | undefined;
    editManifest?: (manifest: Manifest) => void;
  },
): Promise<void> {
  const entries = await readZipEntries(from);
  const publicKey = publicKeyToJwk(createPublicKey(options.signingKey));
  const keyBytes = Buffer.from(`${JSON.stringify(publicKey, null, 2)}\n`);
  const files = entries
    .filter((entry) => entry.name !== MANIFEST_FILE && entry.name !== SIGNATURE_FILE)
    .map((entry) => ({
      name: entry.name,
      content: entry.name === PUBLIC_KEY_FILE ? keyBytes : (options.change?.(entry.name, entry.content) ?? entry.content),
    }));
  const manifest = JSON.parse(entries.find((entry) => entry.name === MANIFEST_FILE)!.content.toString("utf8")) as Manifest;
  for (const file of manifest.files) {
    const entry = files.find((candidate) => candidate.name === file.path);
    if (entry) {
      file.sha256 = sha256(entry.content);
      file.size = entry.content.length;
    }
  }
  options.editManifest?.(manifest);
  const manifestBytes = Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`);
  const signatureBytes = Buffer.from(
    `${JSON.stringify(
      {
        algorithm: "Ed25519",
        keyId: publicKey.kid,
        manifestSha256: sha256(manifestBytes),
        signature: sign(null, manifestBytes, options.signingKey).toString("base64"),
      },
      null,
      2,
    )}\n`,
  );
  await writeZipEntries(to, [...files, { name: MANIFEST_FILE, content: manifestBytes }, { name: SIGNATURE_FILE, content: signatureBytes }]);
}
