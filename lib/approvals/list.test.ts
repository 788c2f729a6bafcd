import { beforeAll, describe, expect, it } from "vitest";
import { executeMutation } from "@/lib/auth/mutation";
import { prisma } from "@/lib/db/client";
import type { ApprovalStatus } from "@/lib/db/generated/enums";
import { createIdentity } from "@/lib/inventory/identities";
import { createTestUser, refused, systemActor } from "@/lib/testing/factories";
import { DAY_MS } from "@/lib/time";
import type { CatalogKey } from "./catalog";
import { approvalIdsSql, APPROVAL_SORTS, type ApprovalIdsArgs } from "./list-sql";
import { parseApprovalListView } from "./list-view";
import { approvalListQuery, findApprovalRequestsPage, listApprovalRequests, type ApprovalListQuery } from "./queries";

// The approvals list as its readers see it: which requests each view holds,
// filtered, sorted and paged by the server, in the browser (numbered pages)
// and the API (cursors). Requests are stored directly, with the times and
// outcomes each case needs; approvals.test.ts makes them through real changes.

type Person = Awaited<ReturnType<typeof createTestUser>>;
let ada: Person;
let bob: Person;
let lead: Person;
let auditor: Person;
let member: Person;
/** The requests by name, as stored. */
const made: Record<string, string> = {};

const RULES = { lead: "rule_security_lead", leadAndOwner: "rule_lead_and_system_owner" } as const;

async function store(
  name: string,
  fields: {
    requester: Person;
    status: ApprovalStatus;
    createdDaysAgo: number;
    expiresInDays: number;
    catalogKey: CatalogKey;
    rule: keyof typeof RULES;
    identityId?: string;
    summary: string;
  },
) {
  const rule = await prisma.approvalRule.findUniqueOrThrow({ where: { id: RULES[fields.rule] } });
  const now = Date.now();
  const request = await prisma.approvalRequest.create({
    data: {
      status: fields.status,
      mutation: "grants.create",
      input: {},
      inputHash: `hash-${name}`,
      summary: fields.summary,
      changes: [],
      catalogKey: fields.catalogKey,
      reason: "test",
      ruleId: rule.id,
      levels: rule.levels as object,
      requesterId: fields.requester.user.id,
      justification: "test",
      identityId: fields.identityId,
      createdAt: new Date(now - fields.createdDaysAgo * DAY_MS),
      expiresAt: new Date(now + fields.expiresInDays * DAY_MS),
      closedAt: fields.status === "PENDING" ? null : new Date(now),
    },
  });
  made[name] = request.id;
}

const names = (ids: string[]) => ids.map((id) => Object.entries(made).find(([, made]) => made === id)?.[0] ?? id);
const query = (params: Record<string, string>): ApprovalListQuery => approvalListQuery.parse(params);

async function pageOf(person: Person, params: Record<string, string>, page = 1, pageSize = 25) {
  const result = await findApprovalRequestsPage(prisma, person.actor, query(params), page, pageSize);
  return { ...result, names: names(result.data.map((row) => row.id)) };
}

beforeAll(async () => {
  ada = await createTestUser();
  bob = await createTestUser();
  lead = await createTestUser(["SECURITY_LEAD"]);
  auditor = await createTestUser(["AUDITOR"]);
  member = await createTestUser();
  await prisma.user.update({ where: { id: ada.user.id }, data: { name: "Ada Archer" } });
  await prisma.user.update({ where: { id: bob.user.id }, data: { name: "Bob Baker" } });
  const identity = (name: string) =>
    executeMutation(createIdentity, systemActor, {
      name,
      kind: "CODING_AGENT",
      purpose: "Lists approvals",
      environment: "DEV",
      autonomy: "SUGGEST",
      ownerId: ada.user.id,
      expiresAt: new Date(Date.now() + 60 * DAY_MS).toISOString(),
    });
  const alpha = await identity("alpha-bot");
  const beta = await identity("beta-agent");
  // Made, expiring, requested and ruled in orders that differ, so each sort shows its own order;
  // "token" is stored before the older "deploy", so their ids are in the other order.
  await store("token", {
    requester: bob,
    status: "PENDING",
    createdDaysAgo: 4,
    expiresInDays: 1,
    catalogKey: "credential.long_lived",
    rule: "lead",
    identityId: beta.id,
    summary: "Register a 100% long-lived token",
  });
  await store("deploy", {
    requester: ada,
    status: "PENDING",
    createdDaysAgo: 5,
    expiresInDays: 2,
    catalogKey: "grant.sensitive",
    rule: "leadAndOwner",
    identityId: alpha.id,
    summary: "Grant DEPLOY on payments (PROD) to alpha-bot",
  });
  await store("write", {
    requester: ada,
    status: "APPLIED",
    createdDaysAgo: 3,
    expiresInDays: 4,
    catalogKey: "grant.sensitive",
    rule: "leadAndOwner",
    identityId: alpha.id,
    summary: "Grant WRITE on billing (PROD) to alpha-bot",
  });
  await store("admin", {
    requester: bob,
    status: "REJECTED",
    createdDaysAgo: 2,
    expiresInDays: 5,
    catalogKey: "user.privileged_role",
    rule: "lead",
    summary: "Give a person the admin role",
  });
  await store("autonomy", {
    requester: ada,
    status: "EXPIRED",
    createdDaysAgo: 1,
    expiresInDays: -1,
    catalogKey: "identity.autonomy_raised",
    rule: "lead",
    identityId: beta.id,
    summary: "Raise autonomy of beta-agent to EXECUTE",
  });
});

describe("the views", () => {
  it("all: every request, newest first; history: the closed ones; mine: the requester's own", async () => {
    expect((await pageOf(auditor, { view: "all" })).names).toEqual(["autonomy", "admin", "write", "token", "deploy"]);
    expect((await pageOf(lead, { view: "history" })).names).toEqual(["autonomy", "admin", "write"]);
    expect((await pageOf(bob, { view: "mine" })).names).toEqual(["admin", "token"]);
    expect((await pageOf(member, { view: "mine" })).names).toEqual([]);
  });

  it("waiting: what the person may decide now, oldest first", async () => {
    expect((await pageOf(lead, { view: "waiting" })).names).toEqual(["deploy", "token"]);
    expect((await pageOf(ada, { view: "waiting" })).names).toEqual([]);
  });

  it("all and history are for those who read every request, in the browser and the API", async () => {
    for (const view of ["all", "history"]) {
      expect((await refused(findApprovalRequestsPage(prisma, member.actor, query({ view }), 1, 25))).code).toBe("forbidden");
      expect((await refused(listApprovalRequests(prisma, member.actor, query({ view }), { limit: 10 }))).code).toBe("forbidden");
    }
    const shown = parseApprovalListView({ view: "history", q: "alpha" }, member.actor);
    expect(shown.query).toMatchObject({ view: "waiting", q: "alpha" });
    expect(shown.refused.view).toMatch(/security leads, admins and auditors/);
  });
});

describe("sorting", () => {
  it.each([
    ["createdAt", "asc", ["deploy", "token", "write", "admin", "autonomy"]],
    ["createdAt", "desc", ["autonomy", "admin", "write", "token", "deploy"]],
    ["expiresAt", "asc", ["autonomy", "token", "deploy", "write", "admin"]],
    ["expiresAt", "desc", ["admin", "write", "deploy", "token", "autonomy"]],
    // Pending first (the order of the statuses' life), and by age within a status.
    ["status", "asc", ["deploy", "token", "write", "admin", "autonomy"]],
    ["status", "desc", ["autonomy", "admin", "write", "token", "deploy"]],
  ])("sort=%s&dir=%s", async (sort, dir, expected) => {
    expect((await pageOf(auditor, { view: "all", sort, dir })).names).toEqual(expected);
  });

  it("sort=requester orders by the requester's name, either way", async () => {
    const requesters = async (dir: string) =>
      (await findApprovalRequestsPage(prisma, auditor.actor, query({ view: "all", sort: "requester", dir }), 1, 25)).data.map(
        (row) => row.requester.name,
      );
    expect(await requesters("asc")).toEqual(["Ada Archer", "Ada Archer", "Ada Archer", "Bob Baker", "Bob Baker"]);
    expect(await requesters("desc")).toEqual(["Bob Baker", "Bob Baker", "Ada Archer", "Ada Archer", "Ada Archer"]);
  });

  it("the waiting view offers no other order: a sort is refused, naming the field", () => {
    const result = approvalListQuery.safeParse({ view: "waiting", sort: "expiresAt" });
    expect(result.success).toBe(false);
    expect(result.error!.issues.map((issue) => issue.path.join("."))).toEqual(["sort"]);
  });
});

describe("filters", () => {
  it.each([
    [{ status: "PENDING" }, ["token", "deploy"]],
    [{ catalogKey: "grant.sensitive" }, ["write", "deploy"]],
    [{ rule: "security-lead-and-system-owner" }, ["write", "deploy"]],
    [{ rule: "no-such-rule" }, []],
    // The identity's name, the requester's name or email, the summary; case does not matter.
    [{ q: "BETA-agent" }, ["autonomy", "token"]],
    [{ q: "bob bak" }, ["admin", "token"]],
    [{ q: "admin role" }, ["admin"]],
    // Typed text is literal: % is not a wildcard.
    [{ q: "%" }, ["token"]],
    [{ q: "grant", catalogKey: "grant.sensitive", status: "APPLIED" }, ["write"]],
  ])("%o", async (filters, expected) => {
    expect((await pageOf(auditor, { view: "all", ...filters })).names).toEqual(expected);
  });

  it("a search finds the same page whether it walks the order's index or sorts its matches", async () => {
    const ids = async (args: Omit<ApprovalIdsArgs, "take">, matchesFirst: boolean) =>
      (await prisma.$queryRaw<{ id: string }[]>(approvalIdsSql({ q: "a" }, { ...args, take: 2, matchesFirst }))).map((row) => row.id);
    for (const sort of APPROVAL_SORTS) {
      for (const dir of ["asc", "desc"] as const) {
        for (const args of [
          { sort, dir },
          { sort, dir, skip: 2 },
          { sort, dir, cursor: made.write },
        ]) {
          const walked = await ids(args, false);
          expect(walked.length, JSON.stringify(args)).toBeGreaterThan(0);
          expect(await ids(args, true), JSON.stringify(args)).toEqual(walked);
        }
      }
    }
  });

  it("apply within a view, the waiting view included", async () => {
    expect((await pageOf(lead, { view: "history", catalogKey: "grant.sensitive" })).names).toEqual(["write"]);
    expect((await pageOf(ada, { view: "mine", q: "beta" })).names).toEqual(["autonomy"]);
    expect((await pageOf(lead, { view: "waiting", catalogKey: "credential.long_lived" })).names).toEqual(["token"]);
    expect((await pageOf(lead, { view: "waiting", q: "alpha" })).names).toEqual(["deploy"]);
    const api = await listApprovalRequests(prisma, lead.actor, query({ view: "waiting", rule: "security-lead" }), { limit: 10 });
    expect(names(api.data.map((row) => row.id))).toEqual(["token"]);
  });

  it("a bad param in the page's address is named and left out; the rest of the view stays", () => {
    const shown = parseApprovalListView({ view: "all", status: "LOST", catalogKey: "grant.sensitive", pageSize: "7" }, auditor.actor);
    expect(shown.query).toMatchObject({ view: "all", catalogKey: "grant.sensitive" });
    expect(shown.query.status).toBeUndefined();
    expect(shown.pageSize).toBe(25);
    expect(Object.keys(shown.refused).sort()).toEqual(["pageSize", "status"]);
    expect(shown.refused.status).toMatch(/must be one of PENDING/);
  });
});

describe("paging", () => {
  it("numbered pages with the total; a page past the end shows the last one", async () => {
    const params = { view: "all", sort: "expiresAt", dir: "asc" };
    const pages = await Promise.all([1, 2, 3].map((page) => pageOf(auditor, params, page, 2)));
    expect(pages.map((page) => page.names)).toEqual([["autonomy", "token"], ["deploy", "write"], ["admin"]]);
    expect(pages[0]).toMatchObject({ total: 5, totalIsExact: true, pageCount: 3 });
    expect(await pageOf(auditor, params, 9, 2)).toMatchObject({ page: 3, names: ["admin"] });
    const waiting = await pageOf(lead, { view: "waiting" }, 2, 1);
    expect(waiting).toMatchObject({ page: 2, total: 2, names: ["token"] });
    expect(await pageOf(lead, { view: "waiting" }, 1, 1)).toMatchObject({ page: 1, total: 2, names: ["deploy"] });
    expect(await pageOf(lead, { view: "waiting" }, 9, 1)).toMatchObject({ page: 2, total: 2, totalIsExact: true, names: ["token"] });
  });

  it("the API's cursor pages through any order, and an unknown cursor is named", async () => {
    const listed: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await listApprovalRequests(prisma, auditor.actor, query({ view: "all", sort: "requester", dir: "desc" }), {
        limit: 2,
        cursor,
      });
      listed.push(...page.data.map((row) => row.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    const whole = await listApprovalRequests(prisma, auditor.actor, query({ view: "all", sort: "requester", dir: "desc" }), { limit: 10 });
    expect(listed).toEqual(whole.data.map((row) => row.id));
    expect(listed).toHaveLength(5);
    const unknown = await refused(listApprovalRequests(prisma, auditor.actor, query({ view: "all" }), { limit: 2, cursor: "nope" }));
    expect(unknown.fields).toEqual({ cursor: "is not a cursor from this list" });
  });

  it("a cursor row that leaves the filter loses no row after it", async () => {
    const pending = query({ view: "all", status: "PENDING", sort: "createdAt", dir: "asc" });
    const first = await listApprovalRequests(prisma, auditor.actor, pending, { limit: 1 });
    expect(names(first.data.map((row) => row.id))).toEqual(["deploy"]);
    await prisma.approvalRequest.update({ where: { id: made.deploy }, data: { status: "WITHDRAWN" } });
    try {
      const next = await listApprovalRequests(prisma, auditor.actor, pending, { limit: 1, cursor: first.nextCursor! });
      expect(names(next.data.map((row) => row.id))).toEqual(["token"]);
    } finally {
      await prisma.approvalRequest.update({ where: { id: made.deploy }, data: { status: "PENDING" } });
    }
  });
});
