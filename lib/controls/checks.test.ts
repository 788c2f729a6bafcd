import { generateKeyPairSync } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { prisma } from "@/lib/db/client";
import { recordAuditEvent } from "@/lib/audit/record";
import { writeCheckpoint } from "@/lib/audit/checkpoint";
import { newId } from "@/lib/db/ids";
import { createTestUser } from "@/lib/testing/factories";
import { executeMutation } from "@/lib/auth/mutation";
import { submitScan } from "@/lib/discovery/ingest";
import { dismissFinding } from "@/lib/discovery/decide";
import { DAY_MS } from "@/lib/time";
import type { Environment, Permission } from "@/lib/db/generated/enums";
import * as checks from "./checks";
import type { CheckOutcome, ControlCheck } from "./checks";

// Each control's test on small crafted data: what it passes, what it fails (the
// exact objects, with what is wrong), and when it is not applicable. Every test
// in this file shares one database, so each looks for its own objects among the
// failures rather than at the whole list.

let owner: Awaited<ReturnType<typeof createTestUser>>;
let teamId: string;
const now = new Date();

beforeAll(async () => {
  owner = await createTestUser();
  teamId = (await prisma.team.create({ data: { name: `team-${newId()}` } })).id;
});

async function identity(overrides: Partial<Parameters<typeof prisma.aiIdentity.create>[0]["data"]> = {}) {
  return prisma.aiIdentity.create({
    data: {
      name: `agent-${newId()}`,
      kind: "CODING_AGENT",
      purpose: "Opens pull requests for the payments team",
      environment: "PROD",
      status: "ACTIVE",
      ownerId: owner.user.id,
      teamId,
      expiresAt: new Date(now.getTime() + 60 * DAY_MS),
      nextReviewAt: new Date(now.getTime() + 30 * DAY_MS),
      ...overrides,
    } as Parameters<typeof prisma.aiIdentity.create>[0]["data"],
  });
}

async function system(environment: Environment = "PROD") {
  return prisma.system.create({ data: { name: `sys-${newId()}`, kind: "REPOSITORY", environment, sensitivity: "INTERNAL" } });
}

async function grant(
  identityId: string,
  systemId: string,
  permission: Permission,
  extra: { mode?: "STANDING" | "JUST_IN_TIME"; accessGrantId?: string } = {},
) {
  return prisma.grant.create({ data: { identityId, systemId, permission, ...extra } });
}

async function agentToken(identityId: string) {
  return prisma.credential.create({
    data: {
      identityId,
      type: "API_KEY",
      label: "agent token",
      fingerprint: newId(),
      issuedAt: now,
      expiresAt: new Date(now.getTime() + 30 * DAY_MS),
      secretHash: newId(),
    },
  });
}

async function run(check: ControlCheck, at: Date = now): Promise<CheckOutcome> {
  return check({ db: prisma, now: at });
}

function applicable(outcome: CheckOutcome) {
  if (!outcome.applicable) throw new Error(`expected the control to apply, it said: ${outcome.reason}`);
  return outcome;
}

function failing(outcome: CheckOutcome): Map<string, string> {
  return new Map(applicable(outcome).failures.map((failure) => [failure.objectId, failure.detail]));
}

describe("identity.owner", () => {
  it("passes an owned identity with a team, and fails one whose owner left or that nobody carries on", async () => {
    const good = await identity();
    const noBackup = await identity({ teamId: null });
    const leaver = await createTestUser([], { active: false });
    const ownerLeft = await identity({ ownerId: leaver.user.id });
    const retired = await identity({ ownerId: leaver.user.id, status: "RETIRED" });
    const outcome = await run(checks.ownerCheck);
    const failures = failing(outcome);
    expect(failures.has(good.id)).toBe(false);
    expect(failures.get(noBackup.id)).toMatch(/no backup owner and no team/);
    expect(failures.get(ownerLeft.id)).toMatch(/its owner .* has left/);
    // Out of service: not counted at all.
    expect(failures.has(retired.id)).toBe(false);
    expect(applicable(outcome).failures.find((failure) => failure.objectId === ownerLeft.id)).toMatchObject({
      objectType: "identity",
      label: `${ownerLeft.name} (PROD)`,
      ownerId: leaver.user.id,
    });
  });
});

describe("identity.purpose-and-dates", () => {
  it("fails a placeholder purpose and a review cadence over a year", async () => {
    const good = await identity();
    const vague = await identity({ purpose: "tbd" });
    const rarely = await identity({ reviewCadenceDays: 400 });
    const failures = failing(await run(checks.purposeAndDatesCheck));
    expect(failures.has(good.id)).toBe(false);
    expect(failures.get(vague.id)).toMatch(/no business purpose stated/);
    expect(failures.get(rarely.id)).toBe("reviewed only every 400 days");
  });
});

describe("identity.environment-separation", () => {
  it("fails a development identity that reaches a production system, and only that", async () => {
    const prodSystem = await system("PROD");
    const devSystem = await system("DEV");
    const devWithProd = await identity({ environment: "DEV" });
    const devWithDev = await identity({ environment: "DEV" });
    const revokedProd = await identity({ environment: "STAGING" });
    await grant(devWithProd.id, prodSystem.id, "WRITE");
    await grant(devWithDev.id, devSystem.id, "WRITE");
    await prisma.grant.create({ data: { identityId: revokedProd.id, systemId: prodSystem.id, permission: "READ", revokedAt: now } });
    const failures = failing(await run(checks.environmentSeparationCheck));
    expect(failures.get(devWithProd.id)).toBe(`dev identity with write on ${prodSystem.name} (PROD)`);
    expect(failures.has(devWithDev.id)).toBe(false);
    expect(failures.has(revokedProd.id)).toBe(false);
  });
});

describe("access.no-standing-deploy", () => {
  it("is not applicable until an identity that can use just-in-time access holds deploy access", async () => {
    const withoutToken = await identity();
    await grant(withoutToken.id, (await system()).id, "DEPLOY");
    expect(await run(checks.noStandingDeployCheck)).toMatchObject({ applicable: false });
  });

  it("fails standing deploy on an identity with an agent token, passes just-in-time deploy", async () => {
    const target = await system();
    const standing = await identity();
    await agentToken(standing.id);
    await grant(standing.id, target.id, "DEPLOY");
    const jit = await identity();
    await agentToken(jit.id);
    await grant(jit.id, target.id, "DEPLOY", { mode: "JUST_IN_TIME" });
    const outcome = applicable(await run(checks.noStandingDeployCheck));
    expect(outcome.total).toBe(2);
    expect(failing(outcome).get(standing.id)).toBe(`standing deploy on ${target.name} (PROD)`);
    expect(failing(outcome).has(jit.id)).toBe(false);
    expect(outcome.note).toMatch(/1 more identity holds deploy or admin access without an agent token/);
  });
});

describe("credentials.short-lived", () => {
  it("fails identities with a credential that never expires or is over 90 days old, and ages them", async () => {
    const fresh = await identity();
    await prisma.credential.create({
      data: {
        identityId: fresh.id,
        type: "PAT",
        label: "fresh",
        fingerprint: newId(),
        issuedAt: now,
        expiresAt: new Date(now.getTime() + 30 * DAY_MS),
      },
    });
    const endless = await identity();
    await prisma.credential.create({
      data: { identityId: endless.id, type: "PAT", label: "endless", fingerprint: newId(), issuedAt: now },
    });
    const old = await identity();
    await prisma.credential.create({
      data: {
        identityId: old.id,
        type: "API_KEY",
        label: "old key",
        fingerprint: newId(),
        issuedAt: new Date(now.getTime() - 400 * DAY_MS),
        expiresAt: new Date(now.getTime() + 30 * DAY_MS),
      },
    });
    const role = await identity();
    await prisma.credential.create({
      data: {
        identityId: role.id,
        type: "CLOUD_ROLE",
        label: "role",
        fingerprint: newId(),
        issuedAt: new Date(now.getTime() - 400 * DAY_MS),
      },
    });
    const outcome = applicable(await run(checks.shortLivedCredentialsCheck));
    const failures = failing(outcome);
    expect(failures.has(fresh.id)).toBe(false);
    expect(failures.has(role.id)).toBe(false);
    expect(failures.get(endless.id)).toBe("endless (0 days old, no expiry)");
    expect(failures.get(old.id)).toBe("old key (400 days old)");
    expect(outcome.note).toMatch(/long-lived credentials?; .*1 over a year/);
  });
});

describe("access.separation-of-duties", () => {
  it("fails write and deploy on one system, passes them on two systems", async () => {
    const one = await system();
    const two = await system();
    const combined = await identity();
    await grant(combined.id, one.id, "WRITE");
    await grant(combined.id, one.id, "DEPLOY");
    const split = await identity();
    await grant(split.id, one.id, "WRITE");
    await grant(split.id, two.id, "DEPLOY");
    const failures = failing(await run(checks.separationOfDutiesCheck));
    expect(failures.get(combined.id)).toBe(`deploy and write on ${one.name}`);
    expect(failures.has(split.id)).toBe(false);
  });
});

describe("the runtime controls", () => {
  it("are not applicable before any identity uses the runtime API", async () => {
    expect(await run(checks.activityLoggedCheck)).toMatchObject({ applicable: false });
    expect(await run(checks.runtimePolicyCheck)).toMatchObject({ applicable: false });
  });

  it("fail an identity that asks for decisions but reports nothing, and one that reports actions nobody judged", async () => {
    const version = await prisma.policyVersion.create({ data: { number: 9001, text: "// test", activatedAt: now } });
    const silent = await identity();
    const judgedAndReported = await identity();
    const unjudged = await identity();
    for (const who of [silent, judgedAndReported]) {
      await prisma.policyDecision.create({
        data: {
          identityId: who.id,
          action: "write",
          resourceType: "System",
          resourceId: "x",
          outcome: "ALLOW",
          policyIds: [],
          reasons: [],
          policyVersionId: version.id,
          credentialKind: "api_token",
          credentialId: "c",
          latencyMicros: 10,
        },
      });
    }
    let seq = 1n;
    for (const who of [judgedAndReported, unjudged]) {
      await prisma.$executeRaw`
        INSERT INTO "ActivityEvent" ("seq", "receivedAt", "occurredAt", "identityId", "kind", "tool", "credentialKind", "credentialId", "prevHash", "hash")
        VALUES (${seq}, ${now}, ${now}, ${who.id}, 'TOOL_CALL'::"ActivityKind", 'Bash', 'api_token', 'c', 'p', 'h')`;
      seq += 1n;
    }
    const logged = applicable(await run(checks.activityLoggedCheck));
    expect(logged.total).toBe(2);
    expect(failing(logged).get(silent.id)).toBe("asked for 1 decision but reported no activity in 30 days");
    expect(failing(logged).has(judgedAndReported.id)).toBe(false);
    const policy = applicable(await run(checks.runtimePolicyCheck));
    expect(policy.total).toBe(2);
    expect(failing(policy).get(unjudged.id)).toMatch(/acted without asking the runtime policies/);
    expect(failing(policy).has(judgedAndReported.id)).toBe(false);
  });
});

describe("access.jit-ends-with-task", () => {
  it("is not applicable before a token is issued, then fails a grant left behind by a completed task", async () => {
    expect(await run(checks.jitEndsWithTaskCheck)).toMatchObject({ applicable: false });
    const agent = await identity();
    const target = await system();
    const base = {
      identityId: agent.id,
      ownerId: owner.user.id,
      systemId: target.id,
      permissions: ["WRITE" as const],
      taskIntent: "fix the build",
      ttlMinutes: 30,
      requestedWith: "c",
      decisionIds: [],
      issuedAt: now,
      expiresAt: new Date(now.getTime() + 30 * 60_000),
    };
    const leftOver = await prisma.accessGrant.create({ data: { ...base, jti: newId(), completedAt: now } });
    await grant(agent.id, target.id, "WRITE", { mode: "JUST_IN_TIME", accessGrantId: leftOver.id });
    const running = await prisma.accessGrant.create({ data: { ...base, jti: newId() } });
    await grant(agent.id, target.id, "READ", { mode: "JUST_IN_TIME", accessGrantId: running.id });
    const outcome = applicable(await run(checks.jitEndsWithTaskCheck));
    expect(outcome.total).toBe(2);
    expect(failing(outcome).get(leftOver.id)).toBe(`task completed but write on ${target.name} still granted`);
    expect(failing(outcome).has(running.id)).toBe(false);
  });
});

describe("identity.review-after-change", () => {
  it("fails a model change nobody re-reviewed within 30 days, passes one followed by a completed review", async () => {
    const changed = await identity();
    const reviewed = await identity();
    await prisma.$transaction(async (tx) => {
      for (const who of [changed, reviewed]) {
        await recordAuditEvent(
          tx,
          { type: "SYSTEM", id: null, label: "test" },
          {
            action: "identity.updated",
            targetType: "identity",
            targetId: who.id,
            data: { changed: { model: "claude-opus" } },
          },
        );
      }
    });
    await prisma.review.create({
      data: { identityId: reviewed.id, status: "COMPLETED", trigger: "MANUAL", dueAt: now, closedAt: new Date(now.getTime() + 5 * DAY_MS) },
    });
    // Within the grace period, nothing is due yet.
    expect(await run(checks.reviewAfterChangeCheck)).toMatchObject({ applicable: false });
    const later = new Date(now.getTime() + 40 * DAY_MS);
    const outcome = applicable(await run(checks.reviewAfterChangeCheck, later));
    expect(failing(outcome).get(changed.id)).toMatch(
      /^model changed to claude-opus on \d{4}-\d{2}-\d{2}, not re-reviewed or rotated since$/,
    );
    expect(failing(outcome).has(reviewed.id)).toBe(false);
  });
});

describe("approvals.human-recorded", () => {
  it("is not applicable with no applied change, then fails a break-glass change nobody else approved", async () => {
    expect(await run(checks.approvalRecordedCheck)).toMatchObject({ applicable: false });
    const requester = await createTestUser(["SECURITY_LEAD"]);
    const approver = await createTestUser(["SECURITY_LEAD"]);
    const rule = await prisma.approvalRule.findFirstOrThrow();
    const request = (summary: string, breakGlass: boolean) =>
      prisma.approvalRequest.create({
        data: {
          status: "APPLIED",
          mutation: "grants.create",
          input: {},
          inputHash: newId(),
          summary,
          changes: [],
          catalogKey: "grant.sensitive",
          reason: "test",
          ruleId: rule.id,
          levels: [],
          requesterId: requester.user.id,
          justification: "test",
          expiresAt: now,
          closedAt: now,
          breakGlass,
        },
      });
    const approved = await request("approved change", false);
    await prisma.approvalDecision.create({ data: { requestId: approved.id, level: 0, deciderId: approver.user.id, verdict: "APPROVE" } });
    const forced = await request("forced change", true);
    const outcome = applicable(await run(checks.approvalRecordedCheck));
    expect(outcome.total).toBe(2);
    expect(outcome.failures).toEqual([
      {
        objectType: "approval_request",
        objectId: forced.id,
        label: "forced change",
        detail: "applied by break-glass; nobody else has approved it since",
        ownerId: requester.user.id,
      },
    ]);
  });
});

describe("reviews.on-time", () => {
  it("fails an identity past its review date", async () => {
    const due = await identity({ nextReviewAt: new Date(now.getTime() - 3 * DAY_MS - 60_000) });
    const fine = await identity();
    const failures = failing(await run(checks.reviewsOnTimeCheck));
    expect(failures.get(due.id)).toMatch(/^review was due \d{4}-\d{2}-\d{2} \(3 days overdue\)$/);
    expect(failures.has(fine.id)).toBe(false);
  });
});

describe("identity.no-orphans", () => {
  it("fails an orphaned identity and a dormant one", async () => {
    const orphan = await identity({ orphanedAt: now });
    const old = new Date(now.getTime() - 200 * DAY_MS);
    const dormant = await identity({ createdAt: old });
    await prisma.credential.create({
      data: { identityId: dormant.id, type: "PAT", label: "idle", fingerprint: newId(), issuedAt: old, lastUsedAt: old },
    });
    const busy = await identity({ createdAt: old });
    await prisma.credential.create({
      data: { identityId: busy.id, type: "PAT", label: "used", fingerprint: newId(), issuedAt: old, lastUsedAt: now },
    });
    const failures = failing(await run(checks.noOrphansCheck));
    expect(failures.get(orphan.id)).toMatch(/^orphaned since .*: its owner left$/);
    expect(failures.get(dormant.id)).toBe("dormant: no credential used in 90 days");
    expect(failures.has(busy.id)).toBe(false);
  });
});

describe("audit.chain-intact", () => {
  const { privateKey } = generateKeyPairSync("ed25519");

  it("is not applicable without a signing key or a checkpoint", async () => {
    expect(await checks.auditChainCheck({ db: prisma, now, auditKey: undefined })).toMatchObject({ applicable: false });
    expect(await checks.auditChainCheck({ db: prisma, now, auditKey: privateKey })).toMatchObject({
      applicable: false,
      reason: expect.stringMatching(/no signed checkpoint/),
    });
  });

  it("passes an intact chain up to a checkpoint, and fails a checkpoint signed by another key", async () => {
    await prisma.$transaction((tx) => recordAuditEvent(tx, { type: "SYSTEM", id: null, label: "test" }, { action: "test.event" }));
    await writeCheckpoint(prisma, privateKey);
    const intact = applicable(await checks.auditChainCheck({ db: prisma, now, auditKey: privateKey }));
    expect(intact.failures).toEqual([]);
    expect(intact.note).toMatch(/events verified from the first event up to #\d+; latest checkpoint at #\d+/);
    // After a passing run, a weekday's run walks only from the last checkpoint that run proved; Sunday's walks it all.
    const run = await prisma.controlRun.create({ data: { trigger: "schedule", startedAt: new Date(), finishedAt: new Date() } });
    await prisma.controlResult.create({
      data: {
        runId: run.id,
        controlKey: "audit.chain-intact",
        status: "PASS",
        total: 1,
        failed: 0,
        excepted: 0,
        measure: "1 of 1",
        createdAt: new Date(),
      },
    });
    await prisma.$transaction((tx) => recordAuditEvent(tx, { type: "SYSTEM", id: null, label: "test" }, { action: "test.later" }));
    const day = (weekday: number) => new Date(Date.UTC(2026, 10, 29 + weekday)); // 2026-11-29 was a Sunday
    const weekday = applicable(await checks.auditChainCheck({ db: prisma, now: day(1), auditKey: privateKey }));
    expect(weekday.failures).toEqual([]);
    expect(weekday.note).toMatch(/^1 events verified from checkpoint #\d+ \(proved by the previous run/);
    const sunday = applicable(await checks.auditChainCheck({ db: prisma, now: day(7), auditKey: privateKey }));
    expect(sunday.note).toMatch(/^\d+ events verified from the first event/);
    const other = generateKeyPairSync("ed25519").privateKey;
    const forged = applicable(await checks.auditChainCheck({ db: prisma, now, auditKey: other }));
    expect(forged.failures).toEqual([
      expect.objectContaining({ objectType: "audit_chain", detail: expect.stringMatching(/signed by another key/) }),
    ]);
  });
});

describe("discovery.footprints-decided", () => {
  const finding = (subject: string, file: string) => ({
    detector: "instruction-file" as const,
    severity: "LOW" as const,
    tool: "Claude Code",
    subject,
    title: `Instruction file ${file}`,
    file,
    line: 1,
    snippet: "# Notes for the agent",
    proposal: null,
    details: {},
  });
  const report = (findings: ReturnType<typeof finding>[]) => ({
    scanner: { name: "warrant-scan", version: "1" },
    repository: `acme/checks-${teamId}`,
    environment: "DEV",
    startedAt: now.toISOString(),
    durationMs: 5,
    filesSeen: 10,
    filesRead: 2,
    findings,
  });

  it("is not applicable before a scan, then fails each open footprint and passes once it is dismissed or gone", async () => {
    expect(await run(checks.footprintsDecidedCheck)).toMatchObject({ applicable: false });
    const system = { kind: "system" as const, label: "test" };
    await executeMutation(submitScan, system, report([finding("CLAUDE.md", "CLAUDE.md"), finding("AGENTS.md", "AGENTS.md")]));
    const [claude, agents] = await Promise.all(
      ["CLAUDE.md", "AGENTS.md"].map((file) =>
        prisma.discoveryFinding.findFirstOrThrow({ where: { file, repository: { name: `acme/checks-${teamId}` } } }),
      ),
    );
    const before = failing(await run(checks.footprintsDecidedCheck));
    expect(before.get(claude!.id)).toMatch(
      /^LOW: Instruction file CLAUDE\.md at CLAUDE\.md:1, found \d{4}-\d\d-\d\d, neither registered nor dismissed$/,
    );
    expect(before.has(agents!.id)).toBe(true);

    await executeMutation(dismissFinding, system, { findingId: claude!.id, reason: "a note for people, not an agent" });
    // The next scan no longer finds AGENTS.md: gone, so it counts neither way.
    await executeMutation(submitScan, system, report([finding("CLAUDE.md", "CLAUDE.md")]));
    const after = applicable(await run(checks.footprintsDecidedCheck));
    expect(after.failures.map((failure) => failure.objectId)).not.toContain(claude!.id);
    expect(after.failures.map((failure) => failure.objectId)).not.toContain(agents!.id);
  });
});
