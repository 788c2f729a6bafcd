import { beforeAll, describe, expect, it } from "vitest";
import { executeMutation } from "@/lib/auth/mutation";
import { prisma } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { createCredential, revokeCredential } from "@/lib/inventory/credentials";
import { createGrant, revokeGrant } from "@/lib/inventory/grants";
import { createIdentity } from "@/lib/inventory/identities";
import { createSystem } from "@/lib/inventory/systems";
import { argumentsHash, authorize } from "@/lib/policy/authorize";
import { createTestUser, refused, switchOffApprovals, systemActor } from "@/lib/testing/factories";
import { DAY_MS } from "@/lib/time";
import { listActivityPartitions, ensureActivityPartitions } from "./partitions";
import { recordEvents, type EventCaller } from "./record";
import { verifyActivityChain } from "./verify";

// Storing reported events in the activity chain, and the flags raised on them.

let ownerId: string;
let counter = 0;
let devRepo: { id: string };
let prodRepo: { id: string };

async function agent(environment: "DEV" | "PROD" = "DEV") {
  counter += 1;
  const identity = await executeMutation(createIdentity, systemActor, {
    name: `events-agent-${counter}`,
    kind: "CODING_AGENT",
    purpose: "Fixes failing builds",
    environment,
    autonomy: "EXECUTE",
    ownerId,
    expiresAt: new Date(Date.now() + 60 * DAY_MS).toISOString(),
  });
  await prisma.aiIdentity.update({ where: { id: identity.id }, data: { status: "ACTIVE" } });
  return identity;
}

const as = (identityId: string, extra: Partial<EventCaller> = {}): EventCaller => ({
  identityId,
  credential: { kind: "api_token", id: "token-under-test" },
  ...extra,
});

async function flagsOf(identityId: string) {
  return prisma.activityFlag.findMany({ where: { identityId }, orderBy: [{ eventSeq: "asc" }, { kind: "asc" }] });
}

const tamper = (sql: string) =>
  prisma.$executeRawUnsafe(
    `ALTER TABLE "ActivityEvent" DISABLE TRIGGER USER; ${sql}; ALTER TABLE "ActivityEvent" ENABLE TRIGGER USER`.split("; ").join(";\n"),
  );

beforeAll(async () => {
  await switchOffApprovals();
  ownerId = (await createTestUser()).user.id;
  devRepo = await executeMutation(createSystem, systemActor, {
    name: "dev-repo",
    kind: "REPOSITORY",
    environment: "DEV",
    sensitivity: "INTERNAL",
  });
  prodRepo = await executeMutation(createSystem, systemActor, {
    name: "prod-repo",
    kind: "REPOSITORY",
    environment: "PROD",
    sensitivity: "CONFIDENTIAL",
  });
});

describe("recordEvents", () => {
  it("stores one event with its identity, credential and the hash of its arguments (not the arguments)", async () => {
    const identity = await agent();
    const occurredAt = new Date(Date.now() - 60_000);
    const answer = await recordEvents(prisma, as(identity.id), {
      kind: "tool_call",
      tool: "Bash",
      arguments: { command: "npm test" },
      result: "success",
      occurredAt: occurredAt.toISOString(),
      sessionId: "s-1",
      taskId: "T-1",
      detail: { exitCode: 0 },
    });
    expect(answer.count).toBe(1);
    const stored = await prisma.activityEvent.findFirstOrThrow({ where: { seq: BigInt(answer.seqs[0]!) } });
    expect(stored).toMatchObject({
      identityId: identity.id,
      kind: "TOOL_CALL",
      tool: "Bash",
      argumentsHash: argumentsHash("Bash", { command: "npm test" }),
      result: "success",
      occurredAt,
      credentialKind: "api_token",
      credentialId: "token-under-test",
      sessionId: "s-1",
      taskId: "T-1",
      detail: { exitCode: 0 },
    });
    expect(JSON.stringify(stored, (_key, value: unknown) => (typeof value === "bigint" ? value.toString() : value))).not.toContain(
      "npm test",
    );
  });

  it("stores a batch in the order sent, as consecutive links of one chain", async () => {
    const identity = await agent();
    const events = ["Read", "Edit", "Bash"].map((tool) => ({ kind: "tool_call", tool }));
    const answer = await recordEvents(prisma, as(identity.id), { events });
    expect(answer.count).toBe(3);
    const seqs = answer.seqs.map(BigInt);
    expect(seqs[1]).toBe(seqs[0]! + 1n);
    expect(seqs[2]).toBe(seqs[0]! + 2n);
    const stored = await prisma.activityEvent.findMany({ where: { seq: { in: seqs } }, orderBy: { seq: "asc" } });
    expect(stored.map((event) => event.tool)).toEqual(["Read", "Edit", "Bash"]);
    expect(stored[1]!.prevHash).toBe(stored[0]!.hash);
    expect(stored[2]!.prevHash).toBe(stored[1]!.hash);
  });

  it("refuses a batch with a bad event whole, naming its index and field, and stores nothing", async () => {
    const identity = await agent();
    const before = await prisma.activityEvent.count();
    const good = { kind: "tool_call", tool: "Read" };
    const error = await refused(
      recordEvents(prisma, as(identity.id), {
        events: [good, good, good, { kind: "file_read", tool: "Read" }, { kind: "privileged_action", systemId: devRepo.id }],
      }),
    );
    expect(error.status).toBe(422);
    expect(error.fields).toEqual({
      "events.3.kind": "must be one of tool_call, token_use, privileged_action",
      "events.4.action": "is required for a privileged_action",
    });
    const unknownSystem = await refused(
      recordEvents(prisma, as(identity.id), { events: [good, { kind: "token_use", action: "read", systemId: "no-such-system" }] }),
    );
    expect(unknownSystem.fields).toEqual({ "events.1.systemId": "must be a system in the inventory" });
    const single = await refused(recordEvents(prisma, as(identity.id), { kind: "tool_call", tool: "Read", colour: "red" }));
    expect(single.fields).toEqual({ _: "is not a known field: colour" });
    const future = await refused(
      recordEvents(prisma, as(identity.id), { kind: "tool_call", tool: "Read", occurredAt: new Date(Date.now() + DAY_MS).toISOString() }),
    );
    expect(future.fields).toEqual({ occurredAt: "must not be in the future" });
    const tooMany = await refused(recordEvents(prisma, as(identity.id), { events: Array.from({ length: 1001 }, () => good) }));
    expect(tooMany.fields).toEqual({ events: "must hold at most 1,000 events" });
    expect(await prisma.activityEvent.count()).toBe(before);
  });

  it("keeps one chain when batches arrive at the same time", async () => {
    const identity = await agent();
    const before = await prisma.activityEvent.count();
    const batches = await Promise.all(
      Array.from({ length: 6 }, (_, n) =>
        recordEvents(prisma, as(identity.id), {
          events: Array.from({ length: 50 }, (_, i) => ({ kind: "tool_call", tool: `T${n}-${i}` })),
        }),
      ),
    );
    const seqs = new Set(batches.flatMap((batch) => batch.seqs));
    expect(seqs.size).toBe(300);
    expect(await prisma.activityEvent.count()).toBe(before + 300);
    expect(await verifyActivityChain(prisma)).toMatchObject({ ok: true, events: before + 300 });
  });
});

describe("the activity chain", () => {
  it("refuses UPDATE, DELETE and TRUNCATE, and its verification finds a row altered or removed by the table's owner", async () => {
    const identity = await agent();
    const { seqs } = await recordEvents(prisma, as(identity.id), {
      events: [1, 2, 3, 4].map((n) => ({ kind: "tool_call", tool: `Tool${n}` })),
    });
    const [, second, third] = seqs;
    await expect(prisma.$executeRawUnsafe(`UPDATE "ActivityEvent" SET "tool" = 'Forged' WHERE "seq" = ${second}`)).rejects.toThrow(
      /append-only/,
    );
    await expect(prisma.$executeRawUnsafe(`DELETE FROM "ActivityEvent" WHERE "seq" = ${second}`)).rejects.toThrow(/append-only/);
    await expect(prisma.$executeRawUnsafe(`TRUNCATE "ActivityEvent"`)).rejects.toThrow(/append-only/);

    const intact = await verifyActivityChain(prisma);
    expect(intact.ok).toBe(true);
    // A range is checked on its own, with its link to the event before it.
    expect(await verifyActivityChain(prisma, { fromSeq: BigInt(second!), toSeq: BigInt(third!) })).toMatchObject({ ok: true, events: 2 });

    await tamper(`UPDATE "ActivityEvent" SET "result" = 'success' WHERE "seq" = ${second}`);
    expect(await verifyActivityChain(prisma)).toMatchObject({
      ok: false,
      brokenAtSeq: BigInt(second!),
      reason: expect.stringMatching(/altered/),
    });
    expect(await verifyActivityChain(prisma, { fromSeq: BigInt(third!) })).toMatchObject({ ok: true });

    await tamper(`UPDATE "ActivityEvent" SET "result" = NULL WHERE "seq" = ${second}`);
    expect((await verifyActivityChain(prisma)).ok).toBe(true);
    await prisma.$executeRawUnsafe(`CREATE TABLE "RemovedEvent" AS SELECT * FROM "ActivityEvent" WHERE "seq" = ${third}`);
    await tamper(`DELETE FROM "ActivityEvent" WHERE "seq" = ${third}`);
    expect(await verifyActivityChain(prisma)).toMatchObject({
      ok: false,
      brokenAtSeq: BigInt(third!),
      reason: expect.stringMatching(/missing/),
    });
    // Put back, so the chain is whole for the tests after this one.
    await prisma.$executeRawUnsafe(
      `INSERT INTO "ActivityEvent" SELECT * FROM "RemovedEvent"; DROP TABLE "RemovedEvent"`.split("; ").join(";\n"),
    );
    expect((await verifyActivityChain(prisma)).ok).toBe(true);
  });
});

describe("partitions", () => {
  it("has this month's, next month's and a default partition; an event of a month without one lands in the default", async () => {
    const now = new Date();
    const month = (offset: number) => {
      const at = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + offset, 1));
      return `ActivityEvent_y${at.getUTCFullYear()}m${String(at.getUTCMonth() + 1).padStart(2, "0")}`;
    };
    const names = (await listActivityPartitions(prisma)).map((partition) => partition.name);
    expect(names).toEqual(expect.arrayContaining([month(0), month(1), "ActivityEvent_default"]));

    const identity = await agent();
    const far = new Date("2031-06-15T12:00:00Z");
    const { seqs } = await recordEvents(prisma, as(identity.id), { kind: "tool_call", tool: "Read", occurredAt: far.toISOString() }, far);
    const where = async (seq: string) =>
      (
        await prisma.$queryRawUnsafe<{ partition: string }[]>(
          `SELECT tableoid::regclass::text AS partition FROM "ActivityEvent" WHERE seq = ${seq}`,
        )
      )[0]!.partition;
    expect(await where(seqs[0]!)).toBe('"ActivityEvent_default"');

    // Once a month has its partition (created ahead, as start-up and the daily job do), its events go there.
    const later = new Date("2032-02-10T08:00:00Z");
    await ensureActivityPartitions(prisma, later);
    const created = (await listActivityPartitions(prisma)).map((partition) => partition.name);
    expect(created).toEqual(expect.arrayContaining(["ActivityEvent_y2032m02", "ActivityEvent_y2032m03"]));
    const stored = await recordEvents(prisma, as(identity.id), { kind: "tool_call", tool: "Read", occurredAt: later.toISOString() }, later);
    expect(await where(stored.seqs[0]!)).toBe('"ActivityEvent_y2032m02"');
    expect((await verifyActivityChain(prisma)).ok).toBe(true);
  });
});

describe("flags", () => {
  it("a token used after its revocation or expiry, judged at the time of use", async () => {
    const identity = await agent();
    const issuedAt = new Date(Date.now() - 10 * DAY_MS);
    const key = await executeMutation(createCredential, systemActor, {
      identityId: identity.id,
      type: "API_KEY",
      label: "agent key",
      fingerprint: "wai_abc123",
      issuedAt: issuedAt.toISOString(),
    });
    const pat = await executeMutation(createCredential, systemActor, {
      identityId: identity.id,
      type: "PAT",
      label: "github pat",
      fingerprint: "ghp_fingerprint",
      issuedAt: issuedAt.toISOString(),
      expiresAt: new Date(Date.now() - DAY_MS).toISOString(),
    });
    const before = new Date(Date.now() - 2 * DAY_MS).toISOString();
    const ok = await recordEvents(prisma, as(identity.id, { credential: { kind: "api_token", id: key.id } }), {
      events: [
        { kind: "token_use", occurredAt: before },
        { kind: "token_use", credentialId: pat.id, occurredAt: before },
      ],
    });
    expect(ok.flags).toEqual([]);

    await executeMutation(revokeCredential, systemActor, { credentialId: key.id });
    const late = await recordEvents(prisma, as(identity.id, { credential: { kind: "api_token", id: key.id } }), {
      events: [{ kind: "token_use", occurredAt: before }, { kind: "token_use" }, { kind: "token_use", credentialId: pat.id }],
    });
    expect(late.flags.map((flag) => [flag.index, flag.kind])).toEqual([
      [1, "CREDENTIAL_NOT_VALID"],
      [2, "CREDENTIAL_NOT_VALID"],
    ]);
    expect(late.flags[0]!.reason).toMatch(/^Used credential "agent key" after it was revoked/);
    expect(late.flags[1]!.reason).toMatch(/^Used credential "github pat" after it expired/);

    const jit = { kind: "jit" as const, id: "jti-1" };
    const expiresAt = new Date(Date.now() - 60_000);
    const jitEvents = await recordEvents(prisma, as(identity.id, { credential: jit, jit: { expiresAt } }), {
      events: [{ kind: "token_use", occurredAt: new Date(expiresAt.getTime() - 1000).toISOString() }, { kind: "token_use" }],
    });
    expect(jitEvents.flags.map((flag) => [flag.index, flag.kind])).toEqual([[1, "CREDENTIAL_NOT_VALID"]]);
    expect((await flagsOf(identity.id)).length).toBe(3);
  });

  it("a call that no decision allowed: none claimed, another identity's, not ALLOW, or for other arguments", async () => {
    const identity = await agent();
    const other = await agent();
    const call = { name: "Read", arguments: { file_path: "README.md" } };
    const allowed = await authorize(
      prisma,
      { identityId: identity.id, credential: { kind: "api_token", id: "t" } },
      { action: "call_tool", tool: call },
    );
    expect(allowed.outcome).toBe("allow");
    const othersDecision = await authorize(
      prisma,
      { identityId: other.id, credential: { kind: "api_token", id: "t" } },
      { action: "call_tool", tool: call },
    );
    const denied = await authorize(
      prisma,
      { identityId: identity.id, credential: { kind: "api_token", id: "t" } },
      { action: "admin", systemId: devRepo.id },
    );
    expect(denied.outcome).not.toBe("allow");

    const answer = await recordEvents(prisma, as(identity.id), {
      events: [
        { kind: "tool_call", tool: "Read", arguments: call.arguments, decisionId: allowed.decisionId },
        { kind: "tool_call", tool: "Read", arguments: call.arguments },
        { kind: "tool_call", tool: "Read", arguments: call.arguments, decisionId: othersDecision.decisionId },
        { kind: "tool_call", tool: "Read", arguments: { file_path: ".env" }, decisionId: allowed.decisionId },
        { kind: "privileged_action", action: "admin", systemId: devRepo.id, decisionId: denied.decisionId },
        { kind: "token_use" },
      ],
    });
    const decisionFlags = answer.flags.filter((flag) => flag.kind === "NO_ALLOWING_DECISION");
    expect(decisionFlags.map((flag) => flag.index)).toEqual([1, 2, 3, 4]);
    expect(decisionFlags.map((flag) => flag.reason)).toEqual([
      "No authorize decision was claimed for this call.",
      `Decision ${othersDecision.decisionId} is not one of this identity's decisions.`,
      `Decision ${allowed.decisionId} allowed a different call (call_tool on Read).`,
      `Decision ${denied.decisionId} answered ${denied.outcome === "deny" ? "DENY" : "REQUIRE_APPROVAL"}, not ALLOW.`,
    ]);
  });

  it("an identity acting outside its environment", async () => {
    const identity = await agent("DEV");
    const answer = await recordEvents(prisma, as(identity.id), {
      events: [
        { kind: "token_use", action: "read", systemId: devRepo.id },
        { kind: "token_use", action: "read", systemId: prodRepo.id },
        { kind: "token_use", targetEnvironment: "PROD" },
        { kind: "token_use", targetEnvironment: "DEV" },
      ],
    });
    const outside = answer.flags.filter((flag) => flag.kind === "OUTSIDE_ENVIRONMENT");
    expect(outside.map((flag) => [flag.index, flag.reason])).toEqual([
      [1, 'Acted on PROD system "prod-repo" although the identity is DEV.'],
      [2, "Acted on PROD although the identity is DEV."],
    ]);
  });

  it("an action no live grant covers when it occurs", async () => {
    const identity = await agent("DEV");
    const write = await executeMutation(createGrant, systemActor, { identityId: identity.id, systemId: devRepo.id, permission: "WRITE" });
    const whileGranted = new Date().toISOString();
    const covered = await recordEvents(prisma, as(identity.id), { kind: "token_use", action: "write", systemId: devRepo.id });
    expect(covered.flags).toEqual([]);
    await executeMutation(revokeGrant, systemActor, { grantId: write.id });
    const answer = await recordEvents(prisma, as(identity.id), {
      events: [
        { kind: "token_use", action: "write", systemId: devRepo.id, occurredAt: whileGranted },
        { kind: "token_use", action: "write", systemId: devRepo.id },
        { kind: "token_use", action: "deploy", systemId: devRepo.id },
      ],
    });
    expect(answer.flags.map((flag) => [flag.index, flag.kind, flag.reason])).toEqual([
      [1, "NOT_GRANTED", 'No live WRITE grant on system "dev-repo" covered this.'],
      [2, "NOT_GRANTED", 'No live DEPLOY grant on system "dev-repo" covered this.'],
    ]);
  });

  it("a burst far above the identity's usual rate, once per minute", async () => {
    const minute = (n: number) => new Date(Date.UTC(2026, 10, 29, 10, n, 30));
    const at = (n: number, count: number) =>
      Array.from({ length: count }, () => ({ kind: "token_use", occurredAt: minute(n).toISOString() }));

    const quiet = await agent();
    expect((await recordEvents(prisma, as(quiet.id), { events: at(0, 59) })).flags).toEqual([]);
    const burst = await recordEvents(prisma, as(quiet.id), { events: at(0, 1) });
    expect(burst.flags.map((flag) => flag.kind)).toEqual(["BURST"]);
    expect(burst.flags[0]!.reason).toBe(
      "60 events in the minute from 2026-11-29T10:00:00Z: more than 10 times its usual rate (0.0 a minute over the hour before).",
    );
    expect((await recordEvents(prisma, as(quiet.id), { events: at(0, 100) })).flags).toEqual([]);

    // Ten a minute for the hour before: 60 in a minute is usual enough, more than 100 is not.
    const busy = await agent();
    await recordEvents(prisma, as(busy.id), { events: Array.from({ length: 60 }, (_, n) => at(n, 10)).flat() });
    expect((await recordEvents(prisma, as(busy.id), { events: at(60, 100) })).flags).toEqual([]);
    expect((await recordEvents(prisma, as(busy.id), { events: at(60, 1) })).flags.map((flag) => flag.kind)).toEqual(["BURST"]);
  });
});

it("bad input is an AppError a client can act on", async () => {
  const identity = await agent();
  const error = await refused(recordEvents(prisma, as(identity.id), "not json"));
  expect(error).toBeInstanceOf(AppError);
});
