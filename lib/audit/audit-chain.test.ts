import { generateKeyPairSync } from "node:crypto";
import pg from "pg";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { prisma } from "@/lib/db/client";
import { runCli } from "@/lib/testing/cli";
import { auditQueueMark, dropAuditEventsQueuedSince, flushAuditEvents, queueAuditEvent, recordAuditEvent } from "./record";
import { verifyAuditChain } from "./verify";
import { GENESIS_HASH } from "./hash";

const actor = { type: "SYSTEM" as const, id: null, label: "test" };

async function writeEvents(count: number) {
  for (let i = 0; i < count; i += 1) {
    await prisma.$transaction((tx) =>
      recordAuditEvent(tx, actor, { action: "test.event", targetType: "thing", targetId: `t${i}`, data: { i, note: "x" } }),
    );
  }
}

/** Connects as the database owner (the embedded server's superuser), outside the app's client. */
async function asOwner<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

async function cliAuditVerify() {
  // A signing key, so verify also checks checkpoints (none here) instead of refusing to vouch for the tail.
  const key = generateKeyPairSync("ed25519").privateKey.export({ format: "der", type: "pkcs8" }).toString("base64");
  return runCli(["audit:verify"], { WARRANT_AUDIT_SIGNING_KEY: key });
}

describe("audit chain", () => {
  // Tests in this file tamper with the log, so each starts from an empty one.
  beforeEach(async () => {
    await asOwner(async (client) => {
      await client.query(`ALTER TABLE "AuditEvent" DISABLE TRIGGER USER`);
      await client.query(`TRUNCATE "AuditEvent"`);
      await client.query(`ALTER TABLE "AuditEvent" ENABLE TRIGGER USER`);
    });
  });

  it("links every event to the one before it, in one gapless sequence", async () => {
    await writeEvents(3);
    const events = await prisma.auditEvent.findMany({ orderBy: { seq: "asc" } });
    expect(events.map((event) => event.seq)).toEqual([1n, 2n, 3n]);
    expect(events[0]!.prevHash).toBe(GENESIS_HASH);
    expect(events[1]!.prevHash).toBe(events[0]!.hash);
    expect(events[2]!.prevHash).toBe(events[1]!.hash);
    expect(await verifyAuditChain(prisma)).toMatchObject({ ok: true, events: 3, headSeq: 3n, headHash: events[2]!.hash });
  });

  it("stays one chain when many transactions write at once", async () => {
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        prisma.$transaction((tx) => recordAuditEvent(tx, actor, { action: "test.concurrent", data: { i } })),
      ),
    );
    const result = await verifyAuditChain(prisma);
    expect(result.ok).toBe(true);
    expect(await prisma.auditEvent.count()).toBe(result.events);
  });

  it("stays one chain when transactions write several events each, at once", async () => {
    await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        prisma.$transaction(async (tx) => {
          for (let j = 0; j < 3; j += 1) await recordAuditEvent(tx, actor, { action: "test.several", data: { i, j } });
        }),
      ),
    );
    const result = await verifyAuditChain(prisma);
    expect(result).toMatchObject({ ok: true, events: 30 });
    const events = await prisma.auditEvent.findMany({ orderBy: { seq: "asc" }, select: { data: true } });
    // A transaction's events are consecutive: it holds the chain from its first event to its commit.
    for (let at = 0; at < 30; at += 3) {
      const ofOne = events.slice(at, at + 3).map((event) => event.data as { i: number; j: number });
      expect(ofOne.map((data) => data.j)).toEqual([0, 1, 2]);
      expect(new Set(ofOne.map((data) => data.i)).size).toBe(1);
    }
  });

  it("stays one chain when a transaction rolls back to a savepoint between its events", async () => {
    await writeEvents(1);
    await prisma.$transaction(async (tx) => {
      await recordAuditEvent(tx, actor, { action: "test.kept", data: { n: 1 } });
      await tx.$executeRawUnsafe("SAVEPOINT trial");
      await recordAuditEvent(tx, actor, { action: "test.undone", data: { n: 2 } });
      await tx.$executeRawUnsafe("ROLLBACK TO SAVEPOINT trial");
      await recordAuditEvent(tx, actor, { action: "test.kept", data: { n: 3 } });
    });
    // A savepoint that held the chain's first event of its transaction: rolling back gives up the lock too.
    await prisma.$transaction(async (tx) => {
      await tx.$executeRawUnsafe("SAVEPOINT trial");
      await recordAuditEvent(tx, actor, { action: "test.undone", data: { n: 4 } });
      await tx.$executeRawUnsafe("ROLLBACK TO SAVEPOINT trial");
      await recordAuditEvent(tx, actor, { action: "test.kept", data: { n: 5 } });
    });
    const events = await prisma.auditEvent.findMany({ orderBy: { seq: "asc" } });
    expect(events.map((event) => [event.seq, event.action])).toEqual([
      [1n, "test.event"],
      [2n, "test.kept"],
      [3n, "test.kept"],
      [4n, "test.kept"],
    ]);
    expect(await verifyAuditChain(prisma)).toMatchObject({ ok: true, events: 4, headHash: events[3]!.hash });
  });

  it("writes a transaction's queued events in the order they were queued, none undone by a savepoint, none lost to one", async () => {
    await writeEvents(1);
    await prisma.$transaction(async (tx) => {
      queueAuditEvent(tx, actor, { action: "test.queued", data: { n: 1 } });
      const mark = auditQueueMark(tx);
      await tx.$executeRawUnsafe("SAVEPOINT trial");
      queueAuditEvent(tx, actor, { action: "test.undone", data: { n: 2 } });
      // Written at once inside the savepoint: it goes with the rollback, the event queued before it does not.
      await recordAuditEvent(tx, actor, { action: "test.undone", data: { n: 3 } });
      await tx.$executeRawUnsafe("ROLLBACK TO SAVEPOINT trial");
      dropAuditEventsQueuedSince(tx, mark);
      queueAuditEvent(tx, actor, { action: "test.queued", data: { n: 4 } });
      // Written at once, so before what is still queued.
      await recordAuditEvent(tx, actor, { action: "test.recorded", data: { n: 5 } });
      queueAuditEvent(tx, actor, { action: "test.queued", data: { n: 6 } });
      await flushAuditEvents(tx);
    });
    const events = await prisma.auditEvent.findMany({ orderBy: { seq: "asc" }, select: { seq: true, action: true, data: true } });
    expect(events.map((event) => [event.seq, event.action, (event.data as { n?: number }).n ?? null])).toEqual([
      [1n, "test.event", null],
      [2n, "test.recorded", 5],
      [3n, "test.queued", 1],
      [4n, "test.queued", 4],
      [5n, "test.queued", 6],
    ]);
    expect(await verifyAuditChain(prisma)).toMatchObject({ ok: true, events: 5 });
  });

  it("writes thousands of queued events (a bulk change) as one chain, however many statements that takes", async () => {
    await writeEvents(1);
    await prisma.$transaction(async (tx) => {
      for (let i = 0; i < 2500; i += 1) queueAuditEvent(tx, actor, { action: "test.bulk", targetType: "thing", targetId: `t${i}` });
      expect(await flushAuditEvents(tx)).toHaveLength(2500);
    });
    expect(await verifyAuditChain(prisma)).toMatchObject({ ok: true, events: 2501, headSeq: 2501n });
    const last = await prisma.auditEvent.findFirstOrThrow({ orderBy: { seq: "desc" } });
    expect(last).toMatchObject({ action: "test.bulk", targetId: "t2499" });
  });

  it("stays one chain when another server writes between this one's events, and after this one's last write rolled back", async () => {
    // Each server remembers the head it wrote last and guesses it is still the head (lib/audit/record.ts).
    vi.resetModules();
    const otherServer = await import("./record");
    await writeEvents(1);
    await prisma.$transaction((tx) => otherServer.recordAuditEvent(tx, actor, { action: "test.other_server" }));
    await writeEvents(1);
    await expect(
      prisma.$transaction(async (tx) => {
        await recordAuditEvent(tx, actor, { action: "test.rolled_back" });
        throw new Error("the change failed");
      }),
    ).rejects.toThrow("the change failed");
    await writeEvents(1);
    const events = await prisma.auditEvent.findMany({ orderBy: { seq: "asc" } });
    expect(events.map((event) => event.action)).toEqual(["test.event", "test.other_server", "test.event", "test.event"]);
    expect(await verifyAuditChain(prisma)).toMatchObject({ ok: true, events: 4 });
  });

  it("leaves no event behind when the transaction that wrote it rolls back", async () => {
    const before = await prisma.auditEvent.count();
    await expect(
      prisma.$transaction(async (tx) => {
        await recordAuditEvent(tx, actor, { action: "test.rolled_back" });
        throw new Error("the change failed");
      }),
    ).rejects.toThrow("the change failed");
    expect(await prisma.auditEvent.count()).toBe(before);
  });

  it("is refused UPDATE, DELETE and TRUNCATE by the database itself", async () => {
    await writeEvents(1);
    await asOwner(async (client) => {
      await expect(client.query(`UPDATE "AuditEvent" SET "action" = 'forged'`)).rejects.toThrow(/append-only: UPDATE/);
      await expect(client.query(`DELETE FROM "AuditEvent"`)).rejects.toThrow(/append-only: DELETE/);
      await expect(client.query(`TRUNCATE "AuditEvent"`)).rejects.toThrow(/append-only: TRUNCATE/);
    });
    await expect(prisma.auditEvent.deleteMany({})).rejects.toThrow(/append-only/);
  });

  it("reports the first altered event when the owner bypasses the trigger and edits a row", async () => {
    await writeEvents(5);
    const clean = await cliAuditVerify();
    expect(clean.code).toBe(0);
    expect(clean.output).toMatch(/Audit chain intact: \d+ events/);

    const target = (await prisma.auditEvent.findMany({ orderBy: { seq: "asc" } }))[2]!;
    await asOwner(async (client) => {
      await client.query(`ALTER TABLE "AuditEvent" DISABLE TRIGGER USER`);
      await client.query(`UPDATE "AuditEvent" SET "data" = '{"i": 99}' WHERE "seq" = $1`, [target.seq.toString()]);
      await client.query(`ALTER TABLE "AuditEvent" ENABLE TRIGGER USER`);
    });

    expect(await verifyAuditChain(prisma)).toMatchObject({ ok: false, brokenAtSeq: target.seq, reason: expect.stringMatching(/altered/) });
    const broken = await cliAuditVerify();
    expect(broken.code).toBe(2);
    expect(broken.output).toContain(`Audit chain BROKEN at event #${target.seq}`);
  });

  it("reports a removed event as missing", async () => {
    await writeEvents(4);
    const all = await prisma.auditEvent.findMany({ orderBy: { seq: "asc" } });
    const removed = all[all.length - 2]!;
    await asOwner(async (client) => {
      await client.query(`ALTER TABLE "AuditEvent" DISABLE TRIGGER USER`);
      await client.query(`DELETE FROM "AuditEvent" WHERE "seq" = $1`, [removed.seq.toString()]);
      await client.query(`ALTER TABLE "AuditEvent" ENABLE TRIGGER USER`);
    });
    expect(await verifyAuditChain(prisma)).toMatchObject({ ok: false, brokenAtSeq: removed.seq, reason: expect.stringMatching(/missing/) });
  });
});
