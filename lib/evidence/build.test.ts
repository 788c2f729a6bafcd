import { createWriteStream, readFileSync } from "node:fs";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as NodeReadableStream } from "node:stream/web";
import Ajv from "ajv";
import addFormats from "ajv-formats";
import { beforeAll, describe, expect, it } from "vitest";
import { executeMutation } from "@/lib/auth/mutation";
import { prisma } from "@/lib/db/client";
import { newId } from "@/lib/db/ids";
import { runControls } from "@/lib/controls/run";
import { submitScan } from "@/lib/discovery/ingest";
import { runCli } from "@/lib/testing/cli";
import { createTestUser, refused } from "@/lib/testing/factories";
import { DAY_MS } from "@/lib/time";
import { buildWaitingPackages, MAX_ATTEMPTS } from "./build";
import { publishedEvidenceKeys } from "./keys";
import { openPackageDownload } from "./queries";
import { requestEvidencePackage } from "./requests";
import { readZipEntries, rewriteZip, withOneByteChanged } from "./test-helpers";
import { INVENTORY_CSV_COLUMNS } from "@/lib/inventory/csv";
import { verifyEvidencePackage } from "./verify";

// An evidence package built from the database as the evidence.build job builds
// it: asked for by an auditor, streamed into chunks, downloaded (audited), and
// verified offline with the published key; the OSCAL results validate against
// NIST's schema; a build whose worker died is taken over; one byte changed in
// the downloaded zip is caught by the CLI.

let auditor: Awaited<ReturnType<typeof createTestUser>>;
let lead: Awaited<ReturnType<typeof createTestUser>>;
let dir: string;
const from = new Date(Date.now() - 30 * DAY_MS);
const to = new Date(Date.now() + 60_000);

beforeAll(async () => {
  auditor = await createTestUser(["AUDITOR"]);
  lead = await createTestUser(["SECURITY_LEAD"]);
  dir = await mkdtemp(path.join(tmpdir(), "warrant-evidence-"));
  const owner = await createTestUser();
  const campaign = await prisma.reviewCampaign.create({
    data: {
      name: "Q4 agents",
      message: "Review your agents",
      query: "kind=CODING_AGENT",
      dueAt: new Date(Date.now() + 20 * DAY_MS),
      identityCount: 1,
      createdById: lead.user.id,
    },
  });
  for (const name of ["pkg-agent-one", "pkg-agent-two"]) {
    const identity = await prisma.aiIdentity.create({
      data: {
        name: `${name}-${newId()}`,
        kind: "CODING_AGENT",
        purpose: "Opens pull requests for the payments team",
        environment: "PROD",
        status: "ACTIVE",
        ownerId: owner.user.id,
        expiresAt: new Date(Date.now() + 60 * DAY_MS),
        nextReviewAt: new Date(Date.now() + 30 * DAY_MS),
      },
    });
    // One review from a campaign: the package says which campaign each review belongs to.
    if (name === "pkg-agent-one") {
      await prisma.review.create({
        data: { identityId: identity.id, trigger: "CAMPAIGN", dueAt: campaign.dueAt, campaignId: campaign.id },
      });
    }
  }
  // A scanned repository with one footprint nobody has decided on yet.
  await executeMutation(submitScan, lead.actor, {
    scanner: { name: "warrant-scan", version: "1" },
    repository: "acme/pkg-repo",
    environment: "DEV",
    startedAt: new Date().toISOString(),
    durationMs: 3,
    filesSeen: 4,
    filesRead: 1,
    findings: [
      {
        detector: "instruction-file",
        severity: "LOW",
        tool: "Claude Code",
        subject: "CLAUDE.md",
        title: "Instruction file CLAUDE.md",
        file: "CLAUDE.md",
        line: 1,
        snippet: "# Notes for the agent",
        proposal: null,
        details: {},
      },
    ],
  });
  await executeMutation(runControls, lead.actor, {});
});

async function request(actor = auditor.actor, extra: Record<string, unknown> = {}) {
  return executeMutation(requestEvidencePackage, actor, {
    from: from.toISOString(),
    to: to.toISOString(),
    frameworks: ["nist-csf-2.0", "owasp-agentic-top10-2026", "csa-maestro"],
    ...extra,
  });
}

async function download(id: string, file: string): Promise<string> {
  const { body } = await openPackageDownload(prisma, auditor.actor, id);
  const target = path.join(dir, file);
  await pipeline(Readable.fromWeb(body as NodeReadableStream<Uint8Array>), createWriteStream(target));
  return target;
}

async function trustedKeyIds(): Promise<string[]> {
  return (await publishedEvidenceKeys(prisma)).keys.map((key) => key.kid);
}

describe("asking for a package", () => {
  it("is refused to members, and names each bad field", async () => {
    const member = await createTestUser();
    expect((await refused(request(member.actor))).code).toBe("forbidden");
    const bad = await refused(request(auditor.actor, { to: from.toISOString(), frameworks: ["nope"] }));
    expect(bad.fields).toEqual({ to: "must be after the period's start" });
    const unknown = await refused(request(auditor.actor, { frameworks: ["nope"] }));
    expect(unknown.fields).toEqual({ frameworks: "has no framework nope" });
    expect(await prisma.evidencePackage.count()).toBe(0);
  });
});

describe("a package built from the database", () => {
  let packageId = "";
  let zipPath = "";

  it("is queued by an auditor (audited), built by the job, and verifies offline against the published key", async () => {
    const queued = await request();
    packageId = queued.id;
    expect(queued).toMatchObject({ status: "QUEUED", requestedById: auditor.user.id });
    expect(await prisma.auditEvent.findFirst({ where: { action: "evidence.package_requested", targetId: packageId } })).toMatchObject({
      actorId: auditor.user.id,
    });
    // Not ready yet: a download is refused with the reason.
    expect((await refused(openPackageDownload(prisma, auditor.actor, packageId))).code).toBe("conflict");

    expect(await buildWaitingPackages(prisma)).toMatch(new RegExp(`^built ${packageId} \\(\\d+ files, \\d+ bytes\\)$`));
    const built = await prisma.evidencePackage.findUniqueOrThrow({ where: { id: packageId } });
    expect(built).toMatchObject({ status: "READY", progress: 100, attempts: 1 });
    expect(await prisma.auditEvent.findFirst({ where: { action: "evidence.package_built", targetId: packageId } })).toBeTruthy();

    zipPath = await download(packageId, "package.zip");
    expect(await prisma.auditEvent.findFirst({ where: { action: "evidence.package_downloaded", targetId: packageId } })).toMatchObject({
      actorId: auditor.user.id,
      data: expect.objectContaining({ sha256: built.sha256 }),
    });
    const result = await verifyEvidencePackage(zipPath, { trustedKeyIds: await trustedKeyIds() });
    expect(result.problems).toEqual([]);
    expect(result).toMatchObject({ ok: true, summary: { keyTrusted: true, manifestAuthentic: true } });

    const names = (await readZipEntries(zipPath)).map((entry) => entry.name).sort();
    expect(names).toEqual(
      [
        "access/jit-grants.jsonl",
        "approvals/requests.jsonl",
        "audit/events.jsonl",
        "controls/exceptions.json",
        "controls/failures.jsonl",
        "controls/results.jsonl",
        "discovery/findings.jsonl",
        "evidence-public-key.json",
        "inventory/credentials.jsonl",
        "inventory/grants.jsonl",
        "inventory/identities.csv",
        "inventory/identities.jsonl",
        "manifest.json",
        "manifest.sig",
        "oscal/assessment-results.json",
        "report.pdf",
        "reviews/reviews.jsonl",
        "runtime/activity-events.jsonl",
        "runtime/decisions.jsonl",
      ].sort(),
    );
  });

  it("holds the period's audit events as one intact chain, the inventory, the control results, a PDF and schema-valid OSCAL results", async () => {
    const entries = new Map((await readZipEntries(zipPath)).map((entry) => [entry.name, entry.content.toString("utf8")]));
    const events = entries
      .get("audit/events.jsonl")!
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as { seq: string; action: string });
    // Every event of the period up to the build's snapshot (the build's and download's own events come after it), in order.
    const last = BigInt(events.at(-1)!.seq);
    expect(events.length).toBe(await prisma.auditEvent.count({ where: { occurredAt: { gte: from, lt: to }, seq: { lte: last } } }));
    expect(events.map((event) => BigInt(event.seq))).toEqual(events.map((_, index) => BigInt(events[0]!.seq) + BigInt(index)));
    expect(events.map((event) => event.action)).toContain("evidence.package_requested");
    expect(events.map((event) => event.action)).toContain("controls.run");
    expect(entries.get("inventory/identities.csv")!.split("\n")[0]).toMatch(/^id,externalId,name,/);
    expect(entries.get("inventory/identities.csv")).toContain("pkg-agent-one");
    // The same columns and cell rules as the inventory's own CSV export.
    expect(entries.get("inventory/identities.csv")!.split("\r\n")[0]).toBe(INVENTORY_CSV_COLUMNS.join(","));
    const identity = entries
      .get("inventory/identities.jsonl")!
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as { name: string; ownerEmail: string; riskReasons: unknown })
      .find((row) => row.name.startsWith("pkg-agent-one"));
    expect(identity).toMatchObject({ ownerEmail: expect.stringMatching(/@example\.com$/), riskReasons: expect.any(Array) });
    const footprints = entries
      .get("discovery/findings.jsonl")!
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(footprints).toEqual([
      expect.objectContaining({ repository: "acme/pkg-repo", environment: "DEV", file: "CLAUDE.md", status: "OPEN", identity: null }),
    ]);
    const reviews = entries
      .get("reviews/reviews.jsonl")!
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as { identity: string; trigger: string; campaign: string | null; changes: unknown });
    expect(reviews.find((review) => review.identity.startsWith("pkg-agent-one"))).toMatchObject({
      trigger: "CAMPAIGN",
      campaign: "Q4 agents",
      changes: [],
    });
    const results = entries
      .get("controls/results.jsonl")!
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as { control: string; mappings: { code: string; alias: string | null }[] });
    expect(results.map((result) => result.control)).toContain("runtime.policy-in-force");
    expect(results.find((result) => result.control === "runtime.policy-in-force")!.mappings).toContainEqual({
      framework: "owasp-agentic-top10-2026",
      code: "ASI02",
      alias: "A2",
    });
    expect(entries.get("report.pdf")!.startsWith("%PDF-")).toBe(true);

    const schema = JSON.parse(readFileSync(path.join("lib", "evidence", "fixtures", "oscal_assessment-results_schema.json"), "utf8"));
    const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: true });
    addFormats(ajv);
    const validate = ajv.compile(schema);
    const oscal = JSON.parse(entries.get("oscal/assessment-results.json")!);
    expect(validate(oscal) ? [] : validate.errors).toEqual([]);
    const findings = oscal["assessment-results"].results[0].findings as { target: { "target-id": string; status: { state: string } } }[];
    // One finding per requirement assessed: the identity.owner control fails on the unowned agents.
    expect(findings.length).toBeGreaterThan(5);
    expect(findings.some((finding) => finding.target.status.state === "not-satisfied")).toBe(true);
  });

  it("is caught by the CLI when one byte of a file changes, naming the file and both digests", async () => {
    const keysFile = path.join(dir, "keys.json");
    await writeFile(keysFile, JSON.stringify(await publishedEvidenceKeys(prisma)));
    const intact = await runCli(["evidence:verify", zipPath, "--keys", keysFile]);
    expect(intact.output).toMatch(/Evidence package verified: \d+ files/);
    expect(intact.code).toBe(0);

    const tampered = path.join(dir, "tampered.zip");
    await rewriteZip(zipPath, tampered, (name, content) => (name === "inventory/identities.csv" ? withOneByteChanged(content) : undefined));
    const caught = await runCli(["evidence:verify", tampered, "--keys", keysFile]);
    expect(caught.code).toBe(2);
    expect(caught.output).toMatch(/FAIL inventory\/identities\.csv: SHA-256 is [0-9a-f]{64}, manifest says [0-9a-f]{64}/);
    expect(caught.output).toContain("Evidence package NOT verified");

    const untrusted = await runCli(["evidence:verify", zipPath, "--trust", "0".repeat(64)]);
    expect(untrusted.code).toBe(2);
  });
});

describe("a build whose worker died", () => {
  it("is taken over once its lease runs out, from the start, and fails for good after the last attempt", async () => {
    const queued = await request();
    // A worker claimed it, wrote a chunk and died.
    await prisma.evidencePackage.update({
      where: { id: queued.id },
      data: { status: "BUILDING", attempts: 1, leaseUntil: new Date(Date.now() - 1000), progress: 40, stage: "audit log" },
    });
    await prisma.evidenceChunk.create({ data: { packageId: queued.id, index: 0, data: Buffer.from("half a zip") } });
    await buildWaitingPackages(prisma);
    const taken = await prisma.evidencePackage.findUniqueOrThrow({ where: { id: queued.id } });
    expect(taken).toMatchObject({ status: "READY", attempts: 2 });
    const result = await verifyEvidencePackage(await download(queued.id, "taken-over.zip"), { trustedKeyIds: await trustedKeyIds() });
    expect(result.problems).toEqual([]);

    const abandoned = await request();
    await prisma.evidencePackage.update({
      where: { id: abandoned.id },
      data: { status: "BUILDING", attempts: MAX_ATTEMPTS, leaseUntil: new Date(Date.now() - 1000) },
    });
    expect(await buildWaitingPackages(prisma)).toBe("no evidence package waiting");
    expect(await prisma.evidencePackage.findUniqueOrThrow({ where: { id: abandoned.id } })).toMatchObject({
      status: "FAILED",
      error: `the build stopped ${MAX_ATTEMPTS} times without finishing (its worker died or was stopped)`,
    });
    expect(await prisma.auditEvent.findFirst({ where: { action: "evidence.package_failed", targetId: abandoned.id } })).toBeTruthy();
  });
});

describe("the evidence key", () => {
  it("is replaced when the secret no longer opens it, and the old one stays published", async () => {
    const before = await prisma.evidenceKey.findFirstOrThrow({ where: { retiredAt: null } });
    // What a changed WARRANT_SIGNING_KEY_SECRET looks like to the builder: the stored key no longer decrypts.
    const [format, iv, tag, ciphertext] = before.privateKey.split(".");
    await prisma.evidenceKey.update({
      where: { id: before.id },
      data: { privateKey: [format, iv, tag, `${ciphertext!.slice(0, -2)}AA`].join(".") },
    });
    const queued = await request();
    await buildWaitingPackages(prisma);
    const built = await prisma.evidencePackage.findUniqueOrThrow({ where: { id: queued.id } });
    expect(built.status).toBe("READY");
    expect(built.keyId).not.toBe(before.id);
    const published = (await publishedEvidenceKeys(prisma)).keys;
    expect(published.map((key) => key.kid)).toEqual(expect.arrayContaining([before.id, built.keyId]));
    expect(published.find((key) => key.kid === before.id)!.retiredAt).not.toBeNull();
    expect(await prisma.auditEvent.findFirst({ where: { action: "evidence_key.rotated", targetId: built.keyId! } })).toBeTruthy();
  });
});
