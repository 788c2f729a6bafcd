import { generateKeyPairSync } from "node:crypto";
import { writeFile } from "node:fs/promises";
import path from "node:path";
import pg from "pg";
import { beforeEach, describe, expect, it } from "vitest";
import { scratchDir } from "@/lib/testing/scratch-dir";
import { runCli } from "@/lib/testing/cli";
import { prisma } from "@/lib/db/client";
import { findJob } from "@/lib/jobs/registry";
import { runJob } from "@/lib/jobs/job";
import { recordAuditEvent } from "./record";

// Issue 7, item 8: the chain head is checkpointed outside the audit table,
// signed with Ed25519, so `audit:verify` notices when the newest events are
// deleted (a shorter chain is still a valid chain).

const actor = { type: "SYSTEM" as const, id: null, label: "test" };
const newKey = () => generateKeyPairSync("ed25519").privateKey.export({ format: "der", type: "pkcs8" }).toString("base64");
const signingKey = newKey();
// Read when the job or the CLI first asks for the key (lib/env.ts), i.e. after this.
process.env.WARRANT_AUDIT_SIGNING_KEY = signingKey;

async function writeEvents(count: number) {
  for (let i = 0; i < count; i += 1) {
    await prisma.$transaction((tx) => recordAuditEvent(tx, actor, { action: "test.event", data: { i } }));
  }
}

async function asOwner(sql: string, params: unknown[] = []) {
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  try {
    await client.query(sql, params);
  } finally {
    await client.end();
  }
}

/** The PEM block `audit:public-key` printed, saved to a file as a verifier would keep it. */
async function keyFile(output: string): Promise<string> {
  const file = path.join(await scratchDir("warrant-key-"), "audit-public-key.pem");
  await writeFile(file, output.match(/-----BEGIN PUBLIC KEY-----[\s\S]+?-----END PUBLIC KEY-----/)![0]);
  return file;
}

const checkpointJob = () => runJob(findJob("audit.checkpoint")!, prisma);

describe("audit checkpoints", () => {
  beforeEach(async () => {
    await asOwner(`ALTER TABLE "AuditEvent" DISABLE TRIGGER USER; TRUNCATE "AuditEvent"; ALTER TABLE "AuditEvent" ENABLE TRIGGER USER`);
    await asOwner(
      `ALTER TABLE "AuditCheckpoint" DISABLE TRIGGER USER; TRUNCATE "AuditCheckpoint"; ALTER TABLE "AuditCheckpoint" ENABLE TRIGGER USER`,
    );
  });

  it("are written when the head moved and not otherwise, each signed over seq, hash and time", async () => {
    expect(await checkpointJob()).toMatch(/no checkpoint: the audit log is empty/);
    await writeEvents(3);
    expect(await checkpointJob()).toMatch(/^checkpoint #3 [0-9a-f]{64} at .* signature /);
    expect(await checkpointJob()).toMatch(/no checkpoint: the head has not moved since checkpoint #3/);
    await writeEvents(2);
    expect(await checkpointJob()).toMatch(/^checkpoint #5 /);
    const head = await prisma.auditEvent.findFirstOrThrow({ orderBy: { seq: "desc" } });
    const checkpoints = await prisma.auditCheckpoint.findMany({ orderBy: { seq: "asc" } });
    expect(checkpoints.map((checkpoint) => checkpoint.seq)).toEqual([3n, 5n]);
    expect(checkpoints[1]!.hash).toBe(head.hash);
  });

  // These run the CLI as a user would, a few seconds a run on a busy machine.
  it("make audit:verify fail, naming the missing event, when the owner deletes the newest events", async () => {
    await writeEvents(6);
    await checkpointJob();
    const clean = await runCli(["audit:verify"]);
    expect(clean.output).toMatch(/Audit chain intact: 6 events/);
    expect(clean.output).toMatch(/Checkpoints valid: 1, latest #6/);
    expect(clean.code).toBe(0);

    await asOwner(
      `ALTER TABLE "AuditEvent" DISABLE TRIGGER USER; DELETE FROM "AuditEvent" WHERE "seq" > 4; ALTER TABLE "AuditEvent" ENABLE TRIGGER USER`,
    );
    const cut = await runCli(["audit:verify"]);
    expect(cut.code).toBe(2);
    expect(cut.output).toMatch(
      /event #6, recorded by the checkpoint of .*, is missing: the log now ends at #4, so the newest events were deleted/,
    );
  }, 120_000);

  it("are refused when their signature does not match, or when checked with another public key", async () => {
    await writeEvents(2);
    await checkpointJob();
    const exported = await runCli(["audit:public-key"]);
    expect(exported.code, exported.output).toBe(0);
    const publicKeyFile = await keyFile(exported.output);
    // Offline: only the public key, none of the app's configuration.
    const offline = await runCli(["audit:verify", "--public-key", publicKeyFile], { WARRANT_AUDIT_SIGNING_KEY: "" });
    expect(offline.code, offline.output).toBe(0);

    const otherKey = await runCli(["audit:public-key"], { WARRANT_AUDIT_SIGNING_KEY: newKey() });
    const wrongKey = await runCli(["audit:verify", "--public-key", await keyFile(otherKey.output)]);
    expect(wrongKey.code).toBe(2);
    expect(wrongKey.output).toMatch(/signed by another key/);

    await asOwner(
      `ALTER TABLE "AuditCheckpoint" DISABLE TRIGGER USER; UPDATE "AuditCheckpoint" SET "createdAt" = "createdAt" + interval '1 day'; ALTER TABLE "AuditCheckpoint" ENABLE TRIGGER USER`,
    );
    const forged = await runCli(["audit:verify"]);
    expect(forged.code).toBe(2);
    expect(forged.output).toMatch(/invalid signature/);
  }, 180_000);

  it("are append-only, like the log", async () => {
    await writeEvents(1);
    await checkpointJob();
    await expect(prisma.auditCheckpoint.deleteMany({})).rejects.toThrow(/append-only/);
  });
});
