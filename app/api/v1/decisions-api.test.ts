import { beforeAll, describe, expect, it } from "vitest";
import { executeMutation } from "@/lib/auth/mutation";
import { prisma } from "@/lib/db/client";
import { createIdentity } from "@/lib/inventory/identities";
import { authorize } from "@/lib/policy/authorize";
import { DEFAULT_POLICIES } from "@/lib/policy/default-policies";
import { apiAs } from "@/lib/testing/api-client";
import { createTestToken, createTestUser, switchOffApprovals, systemActor } from "@/lib/testing/factories";
import { DAY_MS } from "@/lib/time";

// The Decisions log and a policy version's replay over HTTP: read by everyone
// who reads the policies (auditors included), filtered and cursor-paged, and
// every bad parameter named.

let member: ReturnType<typeof apiAs>;
let auditor: ReturnType<typeof apiAs>;
let lead: ReturnType<typeof apiAs>;
let agentId: string;
const made: string[] = [];

beforeAll(async () => {
  await switchOffApprovals();
  member = apiAs(await createTestToken((await createTestUser()).user.email));
  auditor = apiAs(await createTestToken((await createTestUser(["AUDITOR"])).user.email, ["READ"]));
  lead = apiAs(await createTestToken((await createTestUser(["SECURITY_LEAD"])).user.email));
  const identity = await executeMutation(createIdentity, systemActor, {
    name: "api-agent",
    kind: "CODING_AGENT",
    purpose: "Writes code",
    environment: "PROD",
    autonomy: "EXECUTE",
    ownerId: (await createTestUser()).user.id,
    expiresAt: new Date(Date.now() + 60 * DAY_MS).toISOString(),
  });
  await prisma.aiIdentity.update({ where: { id: identity.id }, data: { status: "ACTIVE" } });
  agentId = identity.id;
  const caller = { identityId: agentId, credential: { kind: "api_token" as const, id: "tok" } };
  for (const [tool, args] of [
    ["Bash", { command: "npm test" }],
    ["Write", { file_path: "src/a.ts", content: "x" }],
    ["Bash", { command: "git push --force origin main" }],
  ] as const) {
    made.push((await authorize(prisma, caller, { action: "call_tool", tool: { name: tool, arguments: args }, taskId: "T-9" })).decisionId);
  }
});

describe("GET /api/v1/decisions", () => {
  it("lists decisions newest first, filtered, a page at a time", async () => {
    const all = await auditor.get("decisions", {}, `identity=${agentId}`);
    expect(all.status).toBe(200);
    expect(all.body.data.map((row: { id: string }) => row.id)).toEqual([...made].reverse());
    expect(all.body.data[0]).toMatchObject({
      identity: { id: agentId, name: "api-agent" },
      action: "call_tool",
      resource: { type: "Tool", id: "Bash", name: "Bash" },
      outcome: "require_approval",
      policyIds: ["destructive-shell-needs-approval"],
      taskId: "T-9",
    });

    const first = await member.get("decisions", {}, `identity=${agentId}&resource=Bash&limit=1`);
    expect(first.body.data.map((row: { id: string }) => row.id)).toEqual([made[2]]);
    const second = await member.get("decisions", {}, `identity=${agentId}&resource=Bash&limit=1&cursor=${first.body.nextCursor}`);
    expect(second.body).toEqual({ data: [expect.objectContaining({ id: made[0] })], nextCursor: null });

    const allowed = await member.get("decisions", {}, `identity=${agentId}&outcome=allow&q=api-agent`);
    expect(allowed.body.data.map((row: { id: string }) => row.id)).toEqual([made[1], made[0]]);
  });

  it("names each bad parameter (422)", async () => {
    const bad = await member.get("decisions", {}, "outcome=maybe&colour=red&limit=0");
    expect(bad.status).toBe(422);
    expect(bad.body.error.fields).toEqual({ colour: "is not a known parameter" });
    const values = await member.get("decisions", {}, "outcome=maybe&to=soon");
    expect(values.status).toBe(422);
    expect(Object.keys(values.body.error.fields).sort()).toEqual(["outcome", "to"]);
    const cursor = await member.get("decisions", {}, "cursor=gone");
    expect(cursor.body.error.fields).toEqual({ cursor: "is not a cursor from this list" });
  });

  it("shows one decision with its arguments hash and Cedar request, or 404", async () => {
    const one = await auditor.get("decisions/[id]", { id: made[1]! });
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({
      id: made[1],
      argumentsHash: expect.stringMatching(/^[0-9a-f]{64}$/),
      credential: { kind: "api_token", id: "tok" },
      cedarRequest: { context: { tool: { name: "Write", path: "src/a.ts" } } },
    });
    expect((await auditor.get("decisions/[id]", { id: "missing" })).status).toBe(404);
    expect((await apiAs(undefined).get("decisions")).status).toBe(401);
  });
});

describe("GET /api/v1/policies/{id}/replay", () => {
  it("answers what a candidate version would change", async () => {
    const created = await lead.post("policies", {
      text: `${DEFAULT_POLICIES}\n@id("no-writes") @reason("No file writes this week.")\nforbid (principal, action == Action::"call_tool", resource == Tool::"Write");\n`,
    });
    expect(created.status).toBe(201);
    const replay = await auditor.get("policies/[id]/replay", { id: created.body.id }, "days=1");
    expect(replay.status).toBe(200);
    expect(replay.body).toMatchObject({ days: 1, replayed: 3, changed: 1, capped: false, transitions: { "allow → deny": 1 } });
    expect(replay.body.changes).toEqual([
      expect.objectContaining({
        decision: expect.objectContaining({ id: made[1] }),
        before: { outcome: "allow", policyIds: ["baseline"] },
        after: { outcome: "deny", policyIds: ["no-writes"], reasons: ["No file writes this week."] },
      }),
    ]);
    const bad = await auditor.get("policies/[id]/replay", { id: created.body.id }, "days=365");
    expect(bad.status).toBe(422);
    expect(bad.body.error.fields).toEqual({ days: "must be at most 90" });
    expect((await auditor.get("policies/[id]/replay", { id: "missing" })).status).toBe(404);
  });
});
