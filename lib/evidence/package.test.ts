import { createHash, verify } from "node:crypto";
import { createWriteStream } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashAuditEvent } from "@/lib/audit/hash";
import type { Checkpoint } from "@/lib/audit/checkpoint";
import {
  AUDIT_EVENTS_FILE,
  MANIFEST_FILE,
  PUBLIC_KEY_FILE,
  SIGNATURE_FILE,
  jwkToPublicKey,
  publicKeyToJwk,
  type AuditEventRecord,
  type Manifest,
  type ManifestCheckpoint,
} from "./format";
import { buildAssessmentResults } from "./oscal-results";
import { createEvidencePackage, jsonLines, type FinishedPackage } from "./package-writer";
import { renderEvidenceReport } from "./report-pdf";
import {
  auditEvents,
  ed25519Keys,
  readZipEntries,
  resignPackage,
  rewriteZip,
  sampleReport,
  sampleRequirements,
  signCheckpoint,
  withOneByteChanged,
  writeZipEntries,
} from "./test-helpers";
import { verifyEvidencePackage, type VerifyResult } from "./verify";

const MTIME = new Date("2027-01-02T08:30:00.000Z");
const signer = ed25519Keys();
const auditKeys = ed25519Keys();
const attacker = ed25519Keys();

// The audit log holds events #1..#120; the package's period covers #101..#120.
const allEvents = [...auditEvents(120)];
const segment = allEvents.slice(100);
const checkpoints = [
  // #95 is before the period: only its signature can be checked. #110 is inside: it must match that event.
  signCheckpoint(allEvents[94]!, new Date("2026-10-01T02:00:00.000Z"), auditKeys.privateKey, auditKeys.publicKey),
  signCheckpoint(allEvents[109]!, new Date("2026-10-01T02:00:00.000Z"), auditKeys.privateKey, auditKeys.publicKey),
];

const CSV = "id,name,kind,owner\nidn_1,ci-bot,agent,alice@example.com\nidn_2,deploy-bot,agent,bob@example.com\n";
const REVIEWS = [{ id: "rev_1", identity: "idn_1", attestedBy: "alice@example.com", attestedAt: "2026-12-15T10:00:00.000Z" }];

async function* each<T>(rows: T[]): AsyncGenerator<T> {
  for (const row of rows) yield row;
}

async function buildPackage(path: string, events: AuditEventRecord[] = segment): Promise<FinishedPackage> {
  const pkg = createEvidencePackage(createWriteStream(path), { mtime: MTIME });
  await pkg.addFile(AUDIT_EVENTS_FILE, jsonLines(each(events)));
  await pkg.addFile("inventory/identities.csv", CSV);
  const oscal = buildAssessmentResults({
    packageId: "pkg_test",
    title: "Warrant assessment results, Q4 2026",
    version: "pkg_test",
    generatedAt: MTIME,
    period: { from: new Date("2026-10-01T00:00:00.000Z"), to: new Date("2026-12-31T23:59:59.000Z") },
    requirements: sampleRequirements(),
  });
  await pkg.addFile("oscal/assessment-results.json", `${JSON.stringify(oscal, null, 2)}\n`);
  // The PDF streams straight from pdfkit into the zip.
  const pdf = new PassThrough();
  const rendering = renderEvidenceReport(sampleReport(40), pdf);
  await pkg.addFile("report/evidence-report.pdf", pdf);
  await rendering;
  await pkg.addFile("reviews/reviews.json", Buffer.from(JSON.stringify(REVIEWS)));
  return pkg.finish(
    {
      generatedAt: MTIME,
      generator: { name: "warrant", version: "0.1.0" },
      period: { from: new Date("2026-10-01T00:00:00.000Z"), to: new Date("2026-12-31T23:59:59.000Z") },
      scope: { description: "All agents of the platform teams", teams: ["core", "data"] },
      frameworks: [{ id: "nist-800-53-r5", title: "NIST SP 800-53 Rev. 5" }],
      chain: { fromSeq: 101n, toSeq: 120n, startPrevHash: allEvents[99]!.hash, endHash: allEvents[119]!.hash },
      checkpoints,
      auditPublicKey: auditKeys.publicKey,
    },
    signer.privateKey,
  );
}

let dir: string;
let original: string;
let built: FinishedPackage;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "warrant-evidence-"));
  original = join(dir, "package.zip");
  built = await buildPackage(original);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

let copies = 0;
const copyPath = () => join(dir, `copy-${(copies += 1)}.zip`);

const sha256 = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");

/** Every problem concerns exactly `file` and names it. */
function expectOnlyFile(result: VerifyResult, file: string): void {
  expect(result.ok).toBe(false);
  expect(result.problems.length).toBeGreaterThan(0);
  for (const problem of result.problems) {
    expect(problem.file).toBe(file);
    expect(problem.message).toContain(file);
  }
}

describe("an evidence package as built", () => {
  it("verifies, with its key trusted and every checkpoint signature checked", async () => {
    const result = await verifyEvidencePackage(original, { trustedKeyIds: [signer.keyId] });
    expect(result.problems).toEqual([]);
    expect(result.ok).toBe(true);
    expect(result.summary).toMatchObject({
      keyId: signer.keyId,
      keyTrusted: true,
      manifestAuthentic: true,
      files: 6,
      events: 20,
      checkpoints: 2,
      checkpointSignatures: "verified",
    });
  });

  it("lists every file with the SHA-256 and size of its bytes, and signs the manifest's exact bytes", async () => {
    const entries = await readZipEntries(original);
    expect(entries.map((entry) => entry.name)).toEqual([
      AUDIT_EVENTS_FILE,
      "inventory/identities.csv",
      "oscal/assessment-results.json",
      "report/evidence-report.pdf",
      "reviews/reviews.json",
      PUBLIC_KEY_FILE,
      MANIFEST_FILE,
      SIGNATURE_FILE,
    ]);
    const manifestBytes = entries.find((entry) => entry.name === MANIFEST_FILE)!.content;
    const manifest = JSON.parse(manifestBytes.toString("utf8")) as Manifest;
    expect(manifest).toEqual(built.manifest);
    expect(manifest.files.map((file) => file.path)).toEqual([...manifest.files.map((file) => file.path)].sort());
    for (const file of manifest.files) {
      const content = entries.find((entry) => entry.name === file.path)!.content;
      expect(file).toEqual({ path: file.path, sha256: sha256(content), size: content.length });
    }
    expect(manifest.chain).toEqual({
      file: AUDIT_EVENTS_FILE,
      fromSeq: "101",
      toSeq: "120",
      startPrevHash: allEvents[99]!.hash,
      endHash: allEvents[119]!.hash,
    });
    expect(manifest.auditPublicKey?.kid).toBe(auditKeys.keyId);

    // What an auditor does by hand: the JWK's key and the base64 signature over manifest.json.
    const jwk = JSON.parse(entries.find((entry) => entry.name === PUBLIC_KEY_FILE)!.content.toString("utf8"));
    expect(jwk).toMatchObject({ kty: "OKP", crv: "Ed25519", kid: signer.keyId });
    const signature = JSON.parse(entries.find((entry) => entry.name === SIGNATURE_FILE)!.content.toString("utf8"));
    expect(verify(null, manifestBytes, jwkToPublicKey(jwk), Buffer.from(signature.signature, "base64"))).toBe(true);
    expect(signature).toMatchObject({ algorithm: "Ed25519", keyId: signer.keyId, manifestSha256: sha256(manifestBytes) });

    const events = entries.find((entry) => entry.name === AUDIT_EVENTS_FILE)!.content.toString("utf8");
    expect(events).toBe(segment.map((event) => `${JSON.stringify(event)}\n`).join(""));
  });

  it("is the same bytes when built again from the same inputs", async () => {
    const again = copyPath();
    await buildPackage(again);
    expect(sha256(await readFile(again))).toBe(sha256(await readFile(original)));
  });
});

describe("a package with one byte changed in one file", () => {
  const files = [
    AUDIT_EVENTS_FILE,
    "inventory/identities.csv",
    "oscal/assessment-results.json",
    "report/evidence-report.pdf",
    "reviews/reviews.json",
    PUBLIC_KEY_FILE,
    MANIFEST_FILE,
    SIGNATURE_FILE,
  ];

  it.each(files)("names %s, and only it", async (file) => {
    const entries = await readZipEntries(original);
    const content = entries.find((entry) => entry.name === file)!.content;
    // A few positions, so the result does not hang on what one byte happens to be.
    for (const at of [0.25, 0.5, 0.75].map((share) => Math.floor(content.length * share))) {
      const changed = withOneByteChanged(content, at);
      const copy = copyPath();
      await rewriteZip(original, copy, (name) => (name === file ? changed : undefined));
      const result = await verifyEvidencePackage(copy, { trustedKeyIds: [signer.keyId] });
      expectOnlyFile(result, file);
      const listed = built.manifest.files.find((entry) => entry.path === file);
      const digest = result.problems.find((problem) => problem.code === "digest-mismatch");
      if (listed && digest) expect(digest.message).toBe(`${file}: SHA-256 is ${sha256(changed)}, manifest says ${listed.sha256}`);
      if (file === AUDIT_EVENTS_FILE) {
        expect(digest).toBeDefined();
        expect(result.problems.some((problem) => problem.code === "chain-broken" && problem.line !== undefined)).toBe(true);
      }
    }
  });

  it("names a file that is in the zip but not in the manifest", async () => {
    const copy = copyPath();
    const entries = await readZipEntries(original);
    await writeZipEntries(copy, [...entries, { name: "extra/notes.txt", content: Buffer.from("not listed") }]);
    const result = await verifyEvidencePackage(copy);
    expect(result.problems).toEqual([
      { code: "file-unlisted", file: "extra/notes.txt", message: "extra/notes.txt: in the package but not listed in manifest.json" },
    ]);
  });

  it("names a missing signature, and checks nothing against the unsigned manifest", async () => {
    const copy = copyPath();
    await rewriteZip(original, copy, (name) => (name === SIGNATURE_FILE ? null : undefined));
    const result = await verifyEvidencePackage(copy);
    expect(result.problems).toEqual([
      { code: "file-missing", file: SIGNATURE_FILE, message: `${SIGNATURE_FILE}: missing from the package` },
    ]);
    expect(result.summary.manifestAuthentic).toBe(false);
  });

  it("says so when the file is not a zip at all", async () => {
    const copy = copyPath();
    await writeFile(copy, "PK? not really");
    const result = await verifyEvidencePackage(copy);
    expect(result.problems).toEqual([expect.objectContaining({ code: "package-unreadable", file: null })]);
    expect(result.problems[0]!.message).toContain("is not a readable zip");
  });

  it("names a listed file that is missing from the zip", async () => {
    const copy = copyPath();
    await rewriteZip(original, copy, (name) => (name === "inventory/identities.csv" ? null : undefined));
    const result = await verifyEvidencePackage(copy);
    expect(result.problems).toEqual([
      {
        code: "file-missing",
        file: "inventory/identities.csv",
        message: "inventory/identities.csv: listed in manifest.json but missing from the package",
      },
    ]);
  });
});

/** audit/events.jsonl rewritten by `change`, which sees every parsed line. */
function editEvents(change: (events: AuditEventRecord[]) => AuditEventRecord[]) {
  return (name: string, content: Buffer): Buffer | undefined => {
    if (name !== AUDIT_EVENTS_FILE) return undefined;
    const events = content
      .toString("utf8")
      .trimEnd()
      .split("\n")
      .map((line) => JSON.parse(line) as AuditEventRecord);
    return Buffer.from(
      change(events)
        .map((event) => `${JSON.stringify(event)}\n`)
        .join(""),
    );
  };
}

/** Recomputes every hash from `prevHash` on, as someone rewriting history would. */
function rechain(events: AuditEventRecord[], prevHash: string): AuditEventRecord[] {
  return events.map((event) => {
    const content = { ...event, seq: BigInt(event.seq), occurredAt: new Date(event.occurredAt) };
    const hash = hashAuditEvent(prevHash, content);
    const next = { ...event, prevHash, hash };
    prevHash = hash;
    return next;
  });
}

function toManifestCheckpoint(checkpoint: Checkpoint): ManifestCheckpoint {
  return { ...checkpoint, seq: checkpoint.seq.toString(), createdAt: checkpoint.createdAt.toISOString() };
}

function alterData(events: AuditEventRecord[], seq: string): AuditEventRecord[] {
  return events.map((event) => (event.seq === seq ? { ...event, data: { reason: "nothing to see here" } } : event));
}

describe("a package re-signed after its audit events were changed", () => {
  it("is caught by the trusted key ids when everything was rewritten and signed with other keys", async () => {
    // The attacker alters #105, rehashes the chain from there, signs new checkpoints with an audit key of their own and signs the manifest.
    const rewritten = rechain(alterData(segment, "105"), allEvents[99]!.hash);
    const fakeAudit = ed25519Keys();
    const copy = copyPath();
    await resignPackage(original, copy, {
      signingKey: attacker.privateKey,
      change: (name) =>
        name === AUDIT_EVENTS_FILE ? Buffer.from(rewritten.map((event) => `${JSON.stringify(event)}\n`).join("")) : undefined,
      editManifest: (manifest) => {
        manifest.chain!.endHash = rewritten.at(-1)!.hash;
        manifest.checkpoints = [allEvents[94]!, rewritten[9]!].map((event) =>
          toManifestCheckpoint(signCheckpoint(event, new Date("2026-10-01T02:00:00.000Z"), fakeAudit.privateKey, fakeAudit.publicKey)),
        );
        manifest.auditPublicKey = publicKeyToJwk(fakeAudit.publicKey);
      },
    });

    // Self-consistent: without a trust anchor it passes, which is why callers pass trustedKeyIds.
    expect((await verifyEvidencePackage(copy)).problems).toEqual([]);

    const result = await verifyEvidencePackage(copy, { trustedKeyIds: [signer.keyId] });
    expect(result.ok).toBe(false);
    expect(result.problems).toEqual([
      {
        code: "key-untrusted",
        file: PUBLIC_KEY_FILE,
        message: `${PUBLIC_KEY_FILE}: the package was signed with key ${attacker.keyId}, which is not one of the trusted keys (${signer.keyId})`,
      },
    ]);
    expect(result.summary.keyTrusted).toBe(false);

    // The real audit key, given by the auditor, catches the forged checkpoints as well.
    const pinned = await verifyEvidencePackage(copy, { trustedKeyIds: [signer.keyId], auditPublicKey: auditKeys.publicKey });
    expect(pinned.problems.map((problem) => problem.code)).toEqual([
      "key-untrusted",
      "audit-key-invalid",
      "checkpoint-invalid",
      "checkpoint-invalid",
    ]);
  });

  it("is caught by the trusted key ids when an event was altered and the digest fixed up with another key", async () => {
    const copy = copyPath();
    await resignPackage(original, copy, { signingKey: attacker.privateKey, change: editEvents((events) => alterData(events, "105")) });
    const result = await verifyEvidencePackage(copy, { trustedKeyIds: [signer.keyId] });
    expect(result.problems[0]).toMatchObject({ code: "key-untrusted", file: PUBLIC_KEY_FILE });
    expect(result.problems[0]!.message).toContain(attacker.keyId);
    // The altered event does not hash to its recorded hash either.
    expect(result.problems.slice(1)).toEqual([
      expect.objectContaining({ code: "chain-broken", file: AUDIT_EVENTS_FILE, seq: "105", line: 5 }),
    ]);
    expect(result.problems[1]!.message).toMatch(
      /^audit\/events\.jsonl: line 5 \(event #105\): its content hashes to [0-9a-f]{64}, but its hash says/,
    );
  });

  it("names the missing seq when an event was cut from the middle and the manifest re-signed with the right key", async () => {
    const copy = copyPath();
    await resignPackage(original, copy, {
      signingKey: signer.privateKey,
      change: editEvents((events) => events.filter((event) => event.seq !== "107")),
    });
    const result = await verifyEvidencePackage(copy, { trustedKeyIds: [signer.keyId] });
    expect(result.problems).toEqual([
      {
        code: "chain-broken",
        file: AUDIT_EVENTS_FILE,
        line: 7,
        seq: "108",
        message: `${AUDIT_EVENTS_FILE}: line 7 (event #108): it follows event #106, so event #107 is missing`,
      },
    ]);
  });

  it("names the checkpoint that no longer matches when the whole segment was rehashed and signed with the right key", async () => {
    const copy = copyPath();
    let endHash = "";
    await resignPackage(original, copy, {
      signingKey: signer.privateKey,
      change: editEvents((events) => {
        const rewritten = rechain(alterData(events, "103"), allEvents[99]!.hash);
        endHash = rewritten.at(-1)!.hash;
        return rewritten;
      }),
      editManifest: (manifest) => {
        manifest.chain!.endHash = endHash;
      },
    });
    const result = await verifyEvidencePackage(copy, { trustedKeyIds: [signer.keyId] });
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0]).toMatchObject({ code: "chain-broken", file: AUDIT_EVENTS_FILE, seq: "110", line: 10 });
    expect(result.problems[0]!.message).toContain(`the signed checkpoint of 2026-10-01T02:00:00.000Z recorded ${allEvents[109]!.hash}`);
  });

  it("names a checkpoint whose signature was altered", async () => {
    const copy = copyPath();
    await resignPackage(original, copy, {
      signingKey: signer.privateKey,
      editManifest: (manifest) => {
        const checkpoint = manifest.checkpoints[0]!;
        checkpoint.signature = withOneByteChanged(Buffer.from(checkpoint.signature, "base64")).toString("base64");
      },
    });
    const result = await verifyEvidencePackage(copy);
    expect(result.problems).toEqual([
      {
        code: "checkpoint-invalid",
        file: MANIFEST_FILE,
        seq: "95",
        message: `${MANIFEST_FILE}: checkpoint #95 of 2026-10-01T02:00:00.000Z: the signature does not verify (it was forged or altered)`,
      },
    ]);
  });

  it("names the end of the segment when the newest events were cut off", async () => {
    const copy = copyPath();
    await resignPackage(original, copy, {
      signingKey: signer.privateKey,
      change: editEvents((events) => events.filter((event) => BigInt(event.seq) <= 115n)),
    });
    const result = await verifyEvidencePackage(copy);
    expect(result.problems.map((problem) => problem.message)).toEqual([
      `${AUDIT_EVENTS_FILE}: the last event is #115, but the manifest's chain ends at #120`,
      `${AUDIT_EVENTS_FILE}: the last event's hash is ${allEvents[114]!.hash}, but the manifest's chain.endHash is ${allEvents[119]!.hash}`,
    ]);
  });
});

describe("createEvidencePackage", () => {
  it("refuses names that could escape the package or clash with its own files", async () => {
    const pkg = createEvidencePackage(new PassThrough().resume());
    await expect(pkg.addFile("../etc/passwd", "x")).rejects.toThrow(/not a valid file name/);
    await expect(pkg.addFile("/abs.csv", "x")).rejects.toThrow(/not a valid file name/);
    await expect(pkg.addFile("a//b.csv", "x")).rejects.toThrow(/not a valid file name/);
    await expect(pkg.addFile(MANIFEST_FILE, "x")).rejects.toThrow(/written by the package itself/);
    await pkg.addFile("a.csv", "x");
    await expect(pkg.addFile("a.csv", "y")).rejects.toThrow(/already in the package/);
  });

  it("refuses a second file while one is still streaming, so the order cannot depend on timing", async () => {
    const pkg = createEvidencePackage(new PassThrough().resume());
    const first = pkg.addFile("a.csv", jsonLines(each([1, 2, 3])));
    await expect(pkg.addFile("b.csv", "x")).rejects.toThrow(/one at a time/);
    await first;
  });

  it("abandons the package, destroying the output, when a file's content fails", async () => {
    const output = new PassThrough().resume();
    const pkg = createEvidencePackage(output);
    async function* broken(): AsyncGenerator<string> {
      yield "id\n";
      throw new Error("the query failed");
    }
    await expect(pkg.addFile("a.csv", broken())).rejects.toThrow("the query failed");
    expect(output.destroyed).toBe(true);
    await expect(pkg.addFile("b.csv", "x")).rejects.toThrow(/failed earlier: the query failed/);
  });

  it("refuses a chain segment without its events file", async () => {
    const pkg = createEvidencePackage(new PassThrough().resume());
    await expect(
      pkg.finish(
        {
          generatedAt: MTIME,
          generator: { name: "warrant", version: "0.1.0" },
          period: { from: MTIME, to: MTIME },
          scope: { description: "none" },
          frameworks: [],
          chain: { fromSeq: 1n, toSeq: 2n, startPrevHash: "0".repeat(64), endHash: "0".repeat(64) },
          checkpoints: [],
          auditPublicKey: null,
        },
        signer.privateKey,
      ),
    ).rejects.toThrow(/audit\/events\.jsonl was not added/);
    // Nothing was written, so the caller can still fix it.
    await expect(pkg.addFile("late.csv", "x")).resolves.toMatchObject({ path: "late.csv", size: 1 });
  });
});

describe("jsonLines", () => {
  it("writes one JSON value per line, batched into large chunks", async () => {
    const chunks: string[] = [];
    for await (const chunk of jsonLines(Array.from({ length: 5000 }, (_, index) => ({ index, text: "a\nb" })))) chunks.push(chunk);
    expect(chunks.length).toBeGreaterThan(1);
    expect(chunks.length).toBeLessThan(10);
    const lines = chunks.join("").split("\n");
    expect(lines).toHaveLength(5001);
    expect(lines.at(-1)).toBe("");
    expect(JSON.parse(lines[4999]!)).toEqual({ index: 4999, text: "a\nb" });
  });

  it("refuses a row that is not JSON", async () => {
    const consume = async () => {
      for await (const chunk of jsonLines([undefined])) void chunk;
    };
    await expect(consume()).rejects.toThrow(/must be a JSON value/);
  });
});
