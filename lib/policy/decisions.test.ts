import { beforeAll, describe, expect, it } from "vitest";
import { executeMutation } from "@/lib/auth/mutation";
import type { Actor } from "@/lib/auth/actor";
import { prisma } from "@/lib/db/client";
import { createGrant } from "@/lib/inventory/grants";
import { createIdentity } from "@/lib/inventory/identities";
import { createSystem } from "@/lib/inventory/systems";
import { createTestUser, refused, switchOffApprovals, systemActor } from "@/lib/testing/factories";
import { DAY_MS } from "@/lib/time";
import { authorize } from "./authorize";
import { decisionListQuery, findDecisionsPage, getDecision, listDecisions, recentDecisionsOf, type DecisionListQuery } from "./decisions";

// The Decisions log: every stored decision, newest first, narrowed by each
// filter the page and the API offer, paged without losing or repeating one.

let member: Actor;
let repo: { id: string; name: string };
let alpha: { id: string };
let beta: { id: string };
/** Decision ids in the order they were made (oldest first). */
const made: string[] = [];
const T0 = new Date("2026-11-20T10:00:00Z");
const at = (hours: number) => new Date(T0.getTime() + hours * 3600_000);

async function agent(name: string) {
  const identity = await executeMutation(createIdentity, systemActor, {
    name,
    kind: "CODING_AGENT",
    purpose: "Fixes failing builds",
    environment: "PROD",
    autonomy: "EXECUTE",
    ownerId: (await createTestUser()).user.id,
    expiresAt: new Date(Date.now() + 60 * DAY_MS).toISOString(),
  });
  await prisma.aiIdentity.update({ where: { id: identity.id }, data: { status: "ACTIVE" } });
  return identity;
}

const query = (params: Record<string, string> = {}): DecisionListQuery => decisionListQuery.parse(params);

async function decide(identityId: string, input: Record<string, unknown>, now: Date) {
  const answer = await authorize(prisma, { identityId, credential: { kind: "api_token", id: "tok-1" } }, input, now);
  made.push(answer.decisionId);
  return answer;
}

beforeAll(async () => {
  await switchOffApprovals();
  const user = await createTestUser();
  member = user.actor;
  repo = await executeMutation(createSystem, systemActor, {
    name: "payments-repo",
    kind: "REPOSITORY",
    environment: "PROD",
    sensitivity: "CONFIDENTIAL",
  });
  alpha = await agent("alpha-builder");
  beta = await agent("beta-reviewer");
  await executeMutation(createGrant, systemActor, { identityId: alpha.id, systemId: repo.id, permission: "WRITE" });

  await decide(alpha.id, { action: "write", systemId: repo.id, taskId: "T-1", taskIntent: "Fix the flaky build" }, at(0)); // allow
  await decide(alpha.id, { action: "admin", systemId: repo.id }, at(1)); // deny: grant-required
  await decide(alpha.id, { action: "deploy", systemId: repo.id }, at(2)); // deny: grant-required (no DEPLOY grant)
  await decide(beta.id, { action: "call_tool", tool: { name: "Bash", arguments: { command: "ls -la" } }, taskIntent: "Tidy logs" }, at(3)); // allow
  await decide(beta.id, { action: "call_tool", tool: { name: "Bash", arguments: { command: "rm -rf /" } } }, at(4)); // require approval
  await decide(beta.id, { action: "call_tool", tool: { name: "Read", arguments: { file_path: "/etc/hosts" } } }, at(5)); // allow
});

const ids = (rows: { id: string }[]) => rows.map((row) => row.id);
const newestFirst = () => [...made].reverse();

describe("the Decisions log", () => {
  it("lists every decision newest first, with the identity, the resource's name and what decided", async () => {
    const page = await findDecisionsPage(prisma, member, query(), 1, 25);
    expect(page).toMatchObject({ total: 6, totalIsExact: true, page: 1 });
    expect(ids(page.data)).toEqual(newestFirst());
    expect(page.data.at(-1)).toMatchObject({
      identity: { id: alpha.id, name: "alpha-builder" },
      action: "write",
      resource: { type: "System", id: repo.id, name: "payments-repo" },
      outcome: "allow",
      policyIds: ["baseline"],
      taskIntent: "Fix the flaky build",
      policyVersion: { number: 1 },
    });
    expect(page.data[1]).toMatchObject({ resource: { type: "Tool", id: "Bash", name: "Bash" }, outcome: "require_approval" });
  });

  it("narrows by each filter, and by several at once", async () => {
    const match = async (params: Record<string, string>) => ids((await findDecisionsPage(prisma, member, query(params), 1, 25)).data);
    expect(await match({ identity: alpha.id })).toEqual(made.slice(0, 3).reverse());
    expect(await match({ outcome: "deny" })).toEqual([made[2], made[1]]);
    expect(await match({ outcome: "require_approval" })).toEqual([made[4]]);
    expect(await match({ action: "call_tool" })).toEqual(made.slice(3).reverse());
    expect(await match({ resource: "Bash" })).toEqual([made[4], made[3]]);
    expect(await match({ resource: repo.id, outcome: "allow" })).toEqual([made[0]]);
    expect(await match({ policy: "grant-required" })).toEqual([made[2], made[1]]);
    expect(await match({ policy: "destructive-shell-needs-approval" })).toEqual([made[4]]);
    expect(await match({ from: at(1).toISOString(), to: at(3).toISOString() })).toEqual([made[2], made[1]]);
    expect(await match({ from: "2026-11-20", to: "2026-11-20" })).toEqual(newestFirst());
    expect(await match({ to: "2026-11-19" })).toEqual([]);
    expect(await match({ q: "flaky" })).toEqual([made[0]]);
    expect(await match({ q: "beta-rev" })).toEqual(made.slice(3).reverse());
    expect(await match({ q: "100%" })).toEqual([]);
  });

  it("sorts by latency when asked, with the id as tie-break", async () => {
    const page = await findDecisionsPage(prisma, member, query({ sort: "latency", dir: "asc" }), 1, 25);
    const latencies = page.data.map((row) => row.latencyMicros);
    expect(latencies).toEqual([...latencies].sort((a, b) => a - b));
    expect(page.data).toHaveLength(6);
  });

  it("pages with a cursor through every match exactly once, and numbered pages past the end show the last", async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await listDecisions(prisma, member, query(), { limit: 4, cursor });
      seen.push(...ids(page.data));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual(newestFirst());

    const filtered = await listDecisions(prisma, member, query({ identity: beta.id }), { limit: 2 });
    const rest = await listDecisions(prisma, member, query({ identity: beta.id }), { limit: 2, cursor: filtered.nextCursor! });
    expect([...ids(filtered.data), ...ids(rest.data)]).toEqual(made.slice(3).reverse());
    expect(rest.nextCursor).toBeNull();

    const error = await refused(listDecisions(prisma, member, query(), { limit: 2, cursor: "no-such-decision" }));
    expect(error.fields).toEqual({ cursor: "is not a cursor from this list" });

    const past = await findDecisionsPage(prisma, member, query(), 9, 25);
    expect(past.page).toBe(1);
    expect(past.data).toHaveLength(6);
  });

  it("names a bad parameter and what it must be", () => {
    const bad = decisionListQuery.safeParse({ outcome: "maybe", action: "fly", from: "yesterday", sort: "name" });
    expect(bad.success).toBe(false);
    const fields = Object.fromEntries(bad.error!.issues.map((issue) => [issue.path.join("."), issue.message]));
    expect(fields).toEqual({
      outcome: "must be one of allow, deny, require_approval",
      action: "must be one of read, write, deploy, admin, call_tool",
      from: "must be a date (2026-11-30) or an ISO 8601 date-time (2026-11-30T14:00:00Z)",
      sort: "must be one of createdAt, latency",
    });
    const backwards = decisionListQuery.safeParse({ from: "2026-11-21", to: "2026-11-20" });
    expect(backwards.error?.issues[0]).toMatchObject({ path: ["to"], message: "must be after from" });
  });

  it("shows one decision with everything stored, including the Cedar request it judged", async () => {
    const detail = await getDecision(prisma, member, made[4]!);
    expect(detail).toMatchObject({
      outcome: "require_approval",
      credential: { kind: "api_token", id: "tok-1" },
      argumentsHash: expect.stringMatching(/^[0-9a-f]{64}$/),
      cedarRequest: {
        principal: { type: "Identity", id: beta.id },
        action: { type: "Action", id: "call_tool" },
        resource: { type: "Tool", id: "Bash" },
        context: { tool: { name: "Bash", command: "rm -rf /" } },
      },
    });
    expect((await refused(getDecision(prisma, member, "nope"))).code).toBe("not_found");
  });

  it("gives an identity's page its newest decisions", async () => {
    expect(ids(await recentDecisionsOf(prisma, member, alpha.id, 2))).toEqual([made[2], made[1]]);
  });
});
