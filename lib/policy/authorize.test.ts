import { beforeAll, describe, expect, it } from "vitest";
import { executeMutation } from "@/lib/auth/mutation";
import { prisma } from "@/lib/db/client";
import { createGrant, revokeGrant } from "@/lib/inventory/grants";
import { createIdentity, suspendIdentity } from "@/lib/inventory/identities";
import { createSystem } from "@/lib/inventory/systems";
import { createTestUser, refused, switchOffApprovals, systemActor } from "@/lib/testing/factories";
import { DAY_MS } from "@/lib/time";
import { argumentsHash, authorize, type AuthorizeCaller } from "./authorize";

// Judging an identity's requests against the inventory as it is now, with
// the default policies, and keeping every decision.

let ownerId: string;
let counter = 0;
let prodRepo: { id: string };
let restrictedVault: { id: string };

async function agent(overrides: Record<string, unknown> = {}) {
  counter += 1;
  const identity = await executeMutation(createIdentity, systemActor, {
    name: `runtime-agent-${counter}`,
    kind: "CODING_AGENT",
    purpose: "Fixes failing builds",
    environment: "PROD",
    autonomy: "EXECUTE",
    ownerId,
    expiresAt: new Date(Date.now() + 60 * DAY_MS).toISOString(),
    ...overrides,
  });
  await prisma.aiIdentity.update({ where: { id: identity.id }, data: { status: "ACTIVE" } });
  return identity;
}

const grant = (identityId: string, systemId: string, permission: string, extra: Record<string, unknown> = {}) =>
  executeMutation(createGrant, systemActor, { identityId, systemId, permission, ...extra });

const as = (identityId: string, extra: Partial<AuthorizeCaller> = {}): AuthorizeCaller => ({
  identityId,
  credential: { kind: "api_token", id: "token-under-test" },
  ...extra,
});

beforeAll(async () => {
  await switchOffApprovals();
  ownerId = (await createTestUser()).user.id;
  prodRepo = await executeMutation(createSystem, systemActor, {
    name: "payments-repo",
    kind: "REPOSITORY",
    environment: "PROD",
    sensitivity: "CONFIDENTIAL",
  });
  restrictedVault = await executeMutation(createSystem, systemActor, {
    name: "vault",
    kind: "SECRET_STORE",
    environment: "PROD",
    sensitivity: "RESTRICTED",
  });
});

describe("authorize", () => {
  it("allows what a live grant covers, refuses what none does, asks for deploy, and stores each decision", async () => {
    const identity = await agent();
    await grant(identity.id, prodRepo.id, "WRITE");
    await grant(identity.id, prodRepo.id, "DEPLOY");

    const write = await authorize(prisma, as(identity.id), {
      action: "write",
      systemId: prodRepo.id,
      taskId: "T-1",
      taskIntent: "Fix the build",
    });
    expect(write).toMatchObject({ outcome: "allow", policyIds: ["baseline"], policyVersion: 1 });
    const admin = await authorize(prisma, as(identity.id), { action: "admin", systemId: prodRepo.id });
    expect(admin).toMatchObject({ outcome: "deny", policyIds: ["grant-required"] });
    const deploy = await authorize(prisma, as(identity.id), { action: "deploy", systemId: prodRepo.id });
    expect(deploy).toMatchObject({ outcome: "require_approval", policyIds: ["deploy-needs-approval"] });
    expect(await authorize(prisma, as(identity.id, { humanApproved: true }), { action: "deploy", systemId: prodRepo.id })).toMatchObject({
      outcome: "allow",
    });

    const stored = await prisma.policyDecision.findUniqueOrThrow({ where: { id: write.decisionId } });
    expect(stored).toMatchObject({
      identityId: identity.id,
      action: "write",
      resourceType: "System",
      resourceId: prodRepo.id,
      taskId: "T-1",
      taskIntent: "Fix the build",
      outcome: "ALLOW",
      policyIds: ["baseline"],
      credentialKind: "api_token",
      credentialId: "token-under-test",
      humanApproved: false,
    });
    expect(stored.latencyMicros).toBeGreaterThan(0);
    expect(await prisma.policyDecision.count({ where: { identityId: identity.id } })).toBe(4);
  });

  it("reads the inventory as it is now: a revoked or expired grant, a suspension and an overdue review count at once", async () => {
    const identity = await agent();
    const write = await grant(identity.id, prodRepo.id, "WRITE");
    expect((await authorize(prisma, as(identity.id), { action: "write", systemId: prodRepo.id })).outcome).toBe("allow");

    // The write grant opened a review (a change review, lib/reviews/change.ts); time passes and it is overdue.
    expect(await prisma.review.count({ where: { identityId: identity.id, status: "OPEN", trigger: "CHANGE" } })).toBe(1);
    await prisma.review.updateMany({ where: { identityId: identity.id, status: "OPEN" }, data: { dueAt: new Date(Date.now() - DAY_MS) } });
    expect(await authorize(prisma, as(identity.id), { action: "write", systemId: prodRepo.id })).toMatchObject({
      outcome: "deny",
      policyIds: ["overdue-review-blocks-changes"],
    });

    await executeMutation(revokeGrant, systemActor, { grantId: write.id });
    expect(await authorize(prisma, as(identity.id), { action: "read", systemId: prodRepo.id })).toMatchObject({
      policyIds: ["grant-required"],
    });

    const jit = await grant(identity.id, prodRepo.id, "READ", {
      mode: "JUST_IN_TIME",
      expiresAt: new Date(Date.now() + DAY_MS).toISOString(),
    });
    expect((await authorize(prisma, as(identity.id), { action: "read", systemId: prodRepo.id })).outcome).toBe("allow");
    await prisma.grant.update({ where: { id: jit.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect(await authorize(prisma, as(identity.id), { action: "read", systemId: prodRepo.id })).toMatchObject({
      policyIds: ["grant-required"],
    });

    await executeMutation(suspendIdentity, systemActor, { identityId: identity.id, reason: "Incident" });
    expect(await authorize(prisma, as(identity.id), { action: "read", systemId: prodRepo.id })).toMatchObject({
      outcome: "deny",
      policyIds: expect.arrayContaining(["identity-not-active"]),
    });
  });

  it("keeps a staging identity off production and asks before writing to a restricted system", async () => {
    const staging = await agent({ environment: "STAGING" });
    await grant(staging.id, prodRepo.id, "READ");
    expect(await authorize(prisma, as(staging.id), { action: "read", systemId: prodRepo.id })).toMatchObject({
      outcome: "deny",
      policyIds: ["non-prod-never-touches-prod"],
    });
    const prod = await agent();
    await grant(prod.id, restrictedVault.id, "WRITE");
    expect(await authorize(prisma, as(prod.id), { action: "write", systemId: restrictedVault.id })).toMatchObject({
      outcome: "require_approval",
      policyIds: ["restricted-write-needs-approval"],
    });
  });

  it("judges a tool call by its command and binds the decision to the hash of its exact arguments", async () => {
    const identity = await agent();
    const call = { name: "Bash", arguments: { command: "git push --force origin main", description: "Publish" } };
    const answer = await authorize(prisma, as(identity.id), { action: "call_tool", tool: call });
    expect(answer).toMatchObject({ outcome: "require_approval", policyIds: ["destructive-shell-needs-approval"] });
    const stored = await prisma.policyDecision.findUniqueOrThrow({ where: { id: answer.decisionId } });
    expect(stored).toMatchObject({ resourceType: "Tool", resourceId: "Bash", argumentsHash: argumentsHash("Bash", call.arguments) });
    // Key order does not change the hash; a changed argument does.
    expect(argumentsHash("Bash", { description: "Publish", command: "git push --force origin main" })).toBe(stored.argumentsHash);
    expect(argumentsHash("Bash", { command: "git push --force origin main2", description: "Publish" })).not.toBe(stored.argumentsHash);
    expect(
      await authorize(prisma, as(identity.id), {
        action: "call_tool",
        tool: { name: "Write", arguments: { file_path: "src/a.ts", content: "x" } },
      }),
    ).toMatchObject({ outcome: "allow" });
  });

  it("refuses a malformed request naming the field, and stores nothing", async () => {
    const identity = await agent();
    const before = await prisma.policyDecision.count();
    expect((await refused(authorize(prisma, as(identity.id), { action: "launch", systemId: prodRepo.id }))).fields).toEqual({
      action: "must be one of read, write, deploy, admin, call_tool",
    });
    expect((await refused(authorize(prisma, as(identity.id), { action: "write" }))).fields).toHaveProperty("systemId");
    expect((await refused(authorize(prisma, as(identity.id), { action: "write", systemId: "nope" }))).fields).toEqual({
      systemId: "must be a system in the inventory",
    });
    expect(await prisma.policyDecision.count()).toBe(before);
  });
});
