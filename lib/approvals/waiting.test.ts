import { beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "@/lib/auth/actor";
import { executeMutation } from "@/lib/auth/mutation";
import { prisma } from "@/lib/db/client";
import type { ApprovalStatus, Role } from "@/lib/db/generated/enums";
import { createTestUser } from "@/lib/testing/factories";
import { DAY_MS } from "@/lib/time";
import { seededRandom } from "../../scripts/bench-combinations";
import { decideApprovalRequest } from "./decide";
import { partiesOf } from "./parties";
import { countWaitingFor, findApprovalRequestsPage, listApprovalRequests } from "./queries";
import { currentLevel, levelFor, type ApprovalLevel } from "./rules";
import { waitingCountSql, waitingIdsSql } from "./waiting";

// "Waiting for me" is SQL over copies kept on each request (waiting.ts and the
// migration 20261129220000); levelFor (rules.ts) is the rule. This checks,
// against a real database, that for hundreds of generated requests (every
// kind of level, levels reached, decisions, owners and backup owners,
// requesters, roles, expired and closed requests) the inbox, its pages and
// the header's count select exactly the requests levelFor allows, oldest first;
// also after owners change while requests wait.

const NOW = Date.now();
const REQUESTS = 400;
const ROLE_SETS: Role[][] = [
  [],
  [],
  ["SECURITY_LEAD"],
  ["SECURITY_LEAD"],
  ["ADMIN"],
  ["APPROVER"],
  ["SECURITY_LEAD", "ADMIN"],
  ["AUDITOR"],
];

type Person = Awaited<ReturnType<typeof createTestUser>>;
let people: Person[];
let identityIds: string[];
let systemIds: string[];
const random = seededRandom(9);
const pick = <T>(values: readonly T[]) => values[Math.floor(random() * values.length)]!;
const maybe = <T>(chance: number, value: () => T) => (random() < chance ? value() : null);

function randomLevels(): ApprovalLevel[] {
  return Array.from({ length: 1 + Math.floor(random() * 3) }, (_, index) => {
    const kind = pick(["role", "role", "user", "system_owner", "system_owner", "identity_owner"] as const);
    const approvers =
      kind === "role"
        ? { kind, role: pick(["SECURITY_LEAD", "ADMIN", "APPROVER"] as const) }
        : kind === "user"
          ? { kind, userId: pick(people).user.id }
          : { kind };
    return { name: `Level ${index + 1}`, approvers, required: random() < 0.8 ? 1 : 2 };
  });
}

/** A request as far as its decisions got: approvals level by level from people other than the requester. */
async function createRequest(n: number) {
  const requester = pick(people).user.id;
  const levels = randomLevels();
  const others = people.map((person) => person.user.id).filter((id) => id !== requester);
  const deciders = [...others].sort(() => random() - 0.5);
  const reached = Math.floor(random() * levels.length);
  const decisions: { level: number; deciderId: string; verdict: "APPROVE" | "REJECT" }[] = [];
  for (let level = 0; level <= reached && deciders.length > 0; level += 1) {
    const count = level < reached ? levels[level]!.required : Math.floor(random() * levels[level]!.required);
    for (let k = 0; k < count && deciders.length > 0; k += 1) decisions.push({ level, deciderId: deciders.pop()!, verdict: "APPROVE" });
  }
  const status: ApprovalStatus = pick(["PENDING", "PENDING", "PENDING", "PENDING", "PENDING", "APPLIED", "REJECTED", "EXPIRED"]);
  const parties = { requesterId: requester, identityOwnerIds: [], systemOwnerIds: [], inactiveApproverIds: [], levels, decisions };
  await prisma.approvalRequest.create({
    data: {
      id: `req-${String(n).padStart(4, "0")}-${Math.floor(random() * 1000)}`,
      status,
      mutation: "grants.create",
      input: {},
      inputHash: `hash-${n}`,
      summary: `Request ${n}`,
      changes: [],
      catalogKey: "grant.sensitive",
      reason: "generated",
      ruleId: "rule_security_lead",
      levels,
      requesterId: requester,
      justification: "generated",
      identityId: maybe(0.8, () => pick(identityIds)),
      systemId: maybe(0.7, () => pick(systemIds)),
      // Whole minutes in a small range, so creation times tie and the id breaks ties.
      createdAt: new Date(NOW - Math.floor(random() * 200) * 60_000),
      expiresAt: new Date(NOW + (random() < 0.9 ? 1 : -1) * DAY_MS),
      // As decide.ts keeps it.
      waitingLevel: currentLevel(parties) ?? 0,
      decisions: { create: decisions.map((decision) => ({ ...decision, comment: null })) },
    },
  });
}

/** The reference: every request, its owners read now, through levelFor. */
async function expectedWaiting(actor: Extract<Actor, { kind: "user" }>): Promise<string[]> {
  const requests = await prisma.approvalRequest.findMany({
    where: { status: "PENDING", expiresAt: { gt: new Date() } },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    select: {
      id: true,
      requesterId: true,
      levels: true,
      identity: { select: { ownerId: true, backupOwnerId: true } },
      system: { select: { ownerId: true, backupOwnerId: true } },
      decisions: { select: { level: true, deciderId: true, verdict: true } },
    },
  });
  const inactiveUserIds = (await prisma.user.findMany({ where: { active: false }, select: { id: true } })).map((user) => user.id);
  return requests
    .filter((request) => "level" in levelFor({ userId: actor.userId, roles: actor.roles }, partiesOf({ ...request, inactiveUserIds })))
    .map((request) => request.id);
}

/** Every page of the inbox, `size` at a time, following the cursor. */
async function visitWaiting(actor: Actor, size: number): Promise<string[]> {
  const visited: string[] = [];
  let cursor: string | undefined;
  for (let guard = 0; guard < 500; guard += 1) {
    const page = await listApprovalRequests(prisma, actor, { view: "waiting" }, { limit: size, cursor });
    visited.push(...page.data.map((row) => row.id));
    if (!page.nextCursor) return visited;
    cursor = page.nextCursor;
  }
  throw new Error("the pages never ended");
}

async function expectAllAgree() {
  let nonEmpty = 0;
  // A deactivated person cannot sign in, so has no inbox to compare.
  const active = new Set((await prisma.user.findMany({ where: { active: true }, select: { id: true } })).map((user) => user.id));
  for (const { actor } of people) {
    if (actor.kind !== "user" || !active.has(actor.userId)) continue;
    const expected = await expectedWaiting(actor);
    if (expected.length > 0) nonEmpty += 1;
    expect(await visitWaiting(actor, 7), actor.label).toEqual(expected);
    expect(await countWaitingFor(prisma, actor), actor.label).toBe(expected.length);
    // Numbered pages (the browser's) are the same list, sliced.
    // Page 3 of 7, or the last page when there are fewer.
    const shown = Math.min(3, Math.max(1, Math.ceil(expected.length / 7)));
    const numbered = await findApprovalRequestsPage(prisma, actor, { view: "waiting" }, 3, 7);
    expect(numbered, actor.label).toMatchObject({ page: shown, total: expected.length });
    expect(
      numbered.data.map((row) => row.id),
      actor.label,
    ).toEqual(expected.slice((shown - 1) * 7, shown * 7));
  }
  // Most people have something waiting, or the comparison proves little.
  expect(nonEmpty).toBeGreaterThan(people.length / 2);
}

beforeAll(async () => {
  people = [];
  for (const roles of [...ROLE_SETS, ...ROLE_SETS]) people.push(await createTestUser(roles));
  identityIds = [];
  for (let n = 0; n < 14; n += 1) {
    const identity = await prisma.aiIdentity.create({
      data: {
        name: `waiting-agent-${n}`,
        kind: "CODING_AGENT",
        purpose: "Generated",
        environment: "PROD",
        ownerId: pick(people).user.id,
        backupOwnerId: maybe(0.4, () => pick(people).user.id),
        expiresAt: new Date(NOW + 60 * DAY_MS),
        nextReviewAt: new Date(NOW + 30 * DAY_MS),
      },
    });
    identityIds.push(identity.id);
  }
  systemIds = [];
  for (let n = 0; n < 10; n += 1) {
    const system = await prisma.system.create({
      data: {
        name: `waiting-system-${n}`,
        kind: "REPOSITORY",
        environment: "PROD",
        sensitivity: "RESTRICTED",
        ownerId: maybe(0.7, () => pick(people).user.id),
        backupOwnerId: maybe(0.4, () => pick(people).user.id),
      },
    });
    systemIds.push(system.id);
  }
  for (let n = 0; n < REQUESTS; n += 1) await createRequest(n);
}, 120_000);

describe("waiting for me", () => {
  it("selects exactly the requests levelFor allows, oldest first, page by page, and counts them", async () => {
    await expectAllAgree();
  }, 120_000);

  it("stays right when system and identity owners change while requests wait", async () => {
    for (let round = 0; round < 3; round += 1) {
      for (const id of systemIds.filter(() => random() < 0.5)) {
        // Including to nobody and to a requester (who then leaves the level to security leads, or to the backup owner).
        await prisma.system.update({
          where: { id },
          data: { ownerId: maybe(0.7, () => pick(people).user.id), backupOwnerId: maybe(0.4, () => pick(people).user.id) },
        });
      }
      for (const id of identityIds.filter(() => random() < 0.5)) {
        await prisma.aiIdentity.update({
          where: { id },
          data: { ownerId: pick(people).user.id, backupOwnerId: maybe(0.4, () => pick(people).user.id) },
        });
      }
      await expectAllAgree();
    }
  }, 240_000);

  it("stays right as people are deactivated and come back: their levels fall back to security leads meanwhile", async () => {
    const leads = people.filter((person) => person.actor.kind === "user" && person.actor.roles.includes("SECURITY_LEAD"));
    const leadIds = new Set(leads.map((person) => person.user.id));
    let fellBack = 0;
    for (let round = 0; round < 3; round += 1) {
      // Never every lead at once: the fallback needs someone to fall back to.
      const leaving = people.filter((person) => !leadIds.has(person.user.id) && random() < 0.4).map((person) => person.user.id);
      await prisma.user.updateMany({ where: { id: { in: leaving } }, data: { active: false } });
      fellBack += await prisma.approvalRequest.count({ where: { status: "PENDING", waitingFor: "role:SECURITY_LEAD" } });
      await expectAllAgree();
      await prisma.user.updateMany({ where: { id: { in: leaving } }, data: { active: true } });
      await expectAllAgree();
    }
    expect(fellBack).toBeGreaterThan(0);
  }, 240_000);

  it("moves with decisions: a request leaves one inbox and reaches the next level's", async () => {
    const [lead, owner, requester] = [people[2]!, people[0]!, people[1]!];
    const system = await prisma.system.update({ where: { id: systemIds[0]! }, data: { ownerId: owner.user.id, backupOwnerId: null } });
    const request = await prisma.approvalRequest.create({
      data: {
        mutation: "grants.create",
        input: {},
        inputHash: "hash-moves",
        summary: "Moves with decisions",
        changes: [],
        catalogKey: "grant.sensitive",
        reason: "generated",
        ruleId: "rule_lead_and_system_owner",
        levels: [
          { name: "Security lead", approvers: { kind: "role", role: "SECURITY_LEAD" }, required: 1 },
          { name: "System owner", approvers: { kind: "system_owner" }, required: 1 },
        ],
        requesterId: requester.user.id,
        justification: "generated",
        systemId: system.id,
        expiresAt: new Date(NOW + DAY_MS),
      },
    });
    const waitingIds = async (person: Person) => visitWaiting(person.actor, 100);
    expect(await waitingIds(lead)).toContain(request.id);
    expect(await waitingIds(owner)).not.toContain(request.id);
    await executeMutation(decideApprovalRequest, lead.actor, { requestId: request.id, verdict: "APPROVE" });
    expect(await waitingIds(lead)).not.toContain(request.id);
    expect(await waitingIds(owner)).toContain(request.id);
    // The owner hands the system to the requester: nobody else owns it, so security leads decide.
    await prisma.system.update({ where: { id: system.id }, data: { ownerId: requester.user.id } });
    expect(await waitingIds(owner)).not.toContain(request.id);
    expect(await waitingIds(people[3]!)).toContain(request.id);
    await executeMutation(decideApprovalRequest, people[3]!.actor, { requestId: request.id, verdict: "REJECT", comment: "No" });
    expect(await waitingIds(people[3]!)).not.toContain(request.id);
  });

  it("a page after a request decided meanwhile continues where it was", async () => {
    const lead = people[2]!;
    const first = await listApprovalRequests(prisma, lead.actor, { view: "waiting" }, { limit: 3 });
    const all = await visitWaiting(lead.actor, 100);
    await executeMutation(decideApprovalRequest, lead.actor, { requestId: first.nextCursor!, verdict: "REJECT", comment: "Not now" });
    const next = await listApprovalRequests(prisma, lead.actor, { view: "waiting" }, { limit: 3, cursor: first.nextCursor! });
    expect(next.data.map((row) => row.id)).toEqual(all.slice(3, 6));
  });
});

// The inbox on every page view must not read every pending request. Over
// 20,000 requests (2,000 pending, waiting for someone else's role, systems
// and identities) with statistics, a plan that reads "ApprovalRequest" whole,
// or reaches it through anything but who requests wait for, means the cost
// grows with other people's requests. Timings are not asserted; the plan is.
describe("waiting for me reads indexes", () => {
  beforeAll(async () => {
    const other = await createTestUser();
    await prisma.$executeRaw`INSERT INTO "System" ("id", "name", "kind", "environment", "sensitivity", "ownerId", "updatedAt")
      SELECT 'bulk-system-' || g, 'bulk-system-' || g, 'REPOSITORY', 'PROD', 'RESTRICTED', ${other.user.id}, now()
      FROM generate_series(1, 200) g`;
    await prisma.$executeRaw`INSERT INTO "AiIdentity" ("id", "name", "kind", "purpose", "environment", "ownerId", "expiresAt", "nextReviewAt", "updatedAt")
      SELECT 'bulk-identity-' || g, 'bulk-identity-' || g, 'CODING_AGENT', 'Bulk', 'PROD', ${other.user.id}, now() + interval '60 days',
             now() + interval '30 days', now()
      FROM generate_series(1, 200) g`;
    await prisma.$executeRaw`INSERT INTO "ApprovalRequest" ("id", "status", "mutation", "input", "inputHash", "summary", "changes", "catalogKey",
        "reason", "ruleId", "levels", "requesterId", "justification", "systemId", "identityId", "expiresAt", "createdAt")
      SELECT 'bulk-request-' || g, CASE WHEN g % 10 = 0 THEN 'PENDING' ELSE 'APPLIED' END::"ApprovalStatus", 'grants.create', '{}',
             'bulk-' || g, 'Bulk ' || g, '[]', 'grant.sensitive', 'bulk', 'rule_security_lead',
             (ARRAY['[{"name": "A", "approvers": {"kind": "role", "role": "APPROVER"}, "required": 1}]',
                    '[{"name": "S", "approvers": {"kind": "system_owner"}, "required": 1}]',
                    '[{"name": "I", "approvers": {"kind": "identity_owner"}, "required": 1}, {"name": "A", "approvers": {"kind": "role", "role": "APPROVER"}, "required": 1}]'])[1 + g % 3]::jsonb,
             ${people[0]!.user.id}, 'bulk', 'bulk-system-' || (1 + g % 200), 'bulk-identity-' || (1 + g % 200),
             now() + interval '1 day', now() - g * interval '1 minute'
      FROM generate_series(1, 20000) g`;
    for (const table of ["ApprovalRequest", "ApprovalDecision", "System", "AiIdentity"])
      await prisma.$executeRawUnsafe(`ANALYZE "${table}"`);
  }, 120_000);

  async function planOf(statement: ReturnType<typeof waitingIdsSql>): Promise<string> {
    return prisma.$transaction(async (tx) => {
      await tx.$executeRawUnsafe("SET LOCAL enable_seqscan = off");
      const rows = await tx.$queryRawUnsafe<{ "QUERY PLAN": string }[]>(`EXPLAIN ${statement.text}`, ...statement.values);
      return rows.map((row) => row["QUERY PLAN"]).join("\n");
    });
  }

  it.each([
    ["the first page", (actor: { userId: string; roles: Role[] }) => waitingIdsSql(actor, new Date(), { limit: 51 })],
    ["the header's count", (actor: { userId: string; roles: Role[] }) => waitingCountSql(actor, new Date())],
  ])("%s", async (_, statementFor) => {
    const leadUser = people[6]!.user;
    const plan = await planOf(statementFor({ userId: leadUser.id, roles: leadUser.roles }));
    expect(plan, plan).not.toMatch(/Seq Scan/);
    // Requests are reached only through who they wait for (and the cursor's own row by its key).
    expect(plan, plan).not.toMatch(/ApprovalRequest_(?!waitingFor_|pkey)\w+/);
    // Each role and the person's own id, their systems and their identities: one lookup each.
    expect(plan.match(/ApprovalRequest_waitingFor_\w+/g)?.length, plan).toBe(5);
    expect(plan, plan).toMatch(/System_ownerId_idx/);
    // Still exact over the larger table.
    const lead = people[6]!.actor as Extract<Actor, { kind: "user" }>;
    expect(await countWaitingFor(prisma, lead)).toBe((await expectedWaiting(lead)).length);
  });
});
