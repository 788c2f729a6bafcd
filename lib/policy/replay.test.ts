import { beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "@/lib/auth/actor";
import { Prisma } from "@/lib/db/generated/client";
import { executeMutation } from "@/lib/auth/mutation";
import { prisma } from "@/lib/db/client";
import { createIdentity } from "@/lib/inventory/identities";
import { createTestUser, refused, switchOffApprovals, systemActor } from "@/lib/testing/factories";
import { DAY_MS } from "@/lib/time";
import { authorize } from "./authorize";
import { DEFAULT_POLICIES } from "./default-policies";
import { replayPolicyVersion, versionToReplayFor } from "./replay";
import { activePolicyVersion, createPolicyVersion } from "./store";

// Replaying a candidate version against the recorded decisions: exactly the
// decisions whose outcome would change are listed, with before and after.

const NOW = new Date("2026-11-30T12:00:00Z");
const daysAgo = (days: number) => new Date(NOW.getTime() - days * DAY_MS);

let member: Actor;
let agentId: string;
const made: Record<string, string> = {};

async function decide(name: string, tool: string, args: Record<string, unknown>, now: Date) {
  const answer = await authorize(
    prisma,
    { identityId: agentId, credential: { kind: "api_token", id: "tok" } },
    { action: "call_tool", tool: { name: tool, arguments: args } },
    now,
  );
  made[name] = answer.decisionId;
  return answer;
}

async function version(extra: string) {
  return executeMutation(createPolicyVersion, systemActor, { text: `${DEFAULT_POLICIES}\n${extra}`, note: "candidate" });
}

beforeAll(async () => {
  await switchOffApprovals();
  member = (await createTestUser()).actor;
  await activePolicyVersion(prisma);
  const identity = await executeMutation(createIdentity, systemActor, {
    name: "replayed-agent",
    kind: "CODING_AGENT",
    purpose: "Writes code",
    environment: "PROD",
    autonomy: "EXECUTE",
    ownerId: (await createTestUser()).user.id,
    expiresAt: new Date(Date.now() + 60 * DAY_MS).toISOString(),
  });
  await prisma.aiIdentity.update({ where: { id: identity.id }, data: { status: "ACTIVE" } });
  agentId = identity.id;

  await decide("oldRead", "Read", { file_path: "/srv/app/.env" }, daysAgo(8)); // outside the default 7 days
  await decide("ls", "Bash", { command: "ls" }, daysAgo(3));
  await decide("readEnv", "Read", { file_path: "/srv/app/.env" }, daysAgo(2));
  await decide("readSrc", "Read", { file_path: "/srv/app/main.ts" }, daysAgo(2));
  await decide("rm", "Bash", { command: "rm -rf /" }, daysAgo(1));
  await decide("legacy", "Read", { file_path: "/srv/app/.env" }, daysAgo(1));
  // A decision stored before the request was kept cannot be judged again.
  await prisma.policyDecision.update({ where: { id: made.legacy }, data: { cedarRequest: Prisma.DbNull } });
});

describe("replaying a policy version", () => {
  it("lists exactly the decisions a new forbid would change, with before and after", async () => {
    const candidate = await version(`@id("no-env-files")
@reason("Agents never read .env files.")
forbid (principal, action == Action::"call_tool", resource)
when { context has tool && context.tool has path && context.tool.path like "*.env" };`);
    const result = await replayPolicyVersion(prisma, member, candidate.id, {}, NOW);
    expect(result).toMatchObject({ version: { number: candidate.number }, days: 7, replayed: 4, skipped: 1, capped: false, changed: 1 });
    expect(result.transitions).toEqual({ "allow → deny": 1 });
    expect(result.changes).toEqual([
      expect.objectContaining({
        decision: expect.objectContaining({ id: made.readEnv, resource: { type: "Tool", id: "Read", name: "Read" } }),
        before: { outcome: "allow", policyIds: ["baseline"] },
        after: { outcome: "deny", policyIds: ["no-env-files"], reasons: ["Agents never read .env files."] },
      }),
    ]);

    const longer = await replayPolicyVersion(prisma, member, candidate.id, { days: 30 }, NOW);
    expect(longer.changes.map((change) => change.decision.id)).toEqual([made.readEnv, made.oldRead]);
  });

  it("shows a loosened version too, and nothing for the version that made the decisions", async () => {
    const [kept] = DEFAULT_POLICIES.split('@id("destructive-shell-needs-approval")');
    const loosened = await executeMutation(createPolicyVersion, systemActor, { text: kept!, note: "no approval for destructive shell" });
    const result = await replayPolicyVersion(prisma, member, loosened.id, {}, NOW);
    expect(result.transitions).toEqual({ "require_approval → allow": 1 });
    expect(result.changes.map((change) => change.decision.id)).toEqual([made.rm]);
    expect(result.changes[0]!.before).toEqual({ outcome: "require_approval", policyIds: ["destructive-shell-needs-approval"] });

    const active = await activePolicyVersion(prisma);
    expect(await replayPolicyVersion(prisma, member, active.id, {}, NOW)).toMatchObject({ replayed: 4, changed: 0, changes: [] });
  });

  it("replays only the newest decisions when the window holds more than the cap, and says so", async () => {
    const candidate = await version(`@id("no-tools") forbid (principal, action == Action::"call_tool", resource);`);
    const result = await replayPolicyVersion(prisma, member, candidate.id, { max: 2 }, NOW);
    expect(result).toMatchObject({ capped: true, replayed: 1, skipped: 1 });
    expect(result.changes.map((change) => change.decision.id)).toEqual([made.rm]);
    expect(result.changes[0]).toMatchObject({
      before: { outcome: "require_approval" },
      after: { outcome: "deny", policyIds: ["no-tools"] },
    });
  });

  it("answers not found for a version that does not exist", async () => {
    expect((await refused(replayPolicyVersion(prisma, member, "nope", {}, NOW))).code).toBe("not_found");
  });

  it("is shown to the approvers of a pending activation, and for nothing else", async () => {
    const candidate = await version(`@id("no-reads") forbid (principal, action == Action::"call_tool", resource == Tool::"Read");`);
    const activation = { mutation: "policies.activate", status: "PENDING", input: { versionId: candidate.id } };
    expect(await versionToReplayFor(prisma, member, activation)).toBe(candidate.id);
    const shown = await replayPolicyVersion(prisma, member, candidate.id, {}, NOW);
    expect(shown.changes.map((change) => change.decision.id)).toEqual([made.readSrc, made.readEnv]);
    expect(await versionToReplayFor(prisma, member, { ...activation, status: "APPLIED" })).toBeNull();
    expect(await versionToReplayFor(prisma, member, { ...activation, mutation: "identities.update" })).toBeNull();
    expect(await versionToReplayFor(prisma, member, { ...activation, input: { versionId: "gone" } })).toBeNull();
  });
});
