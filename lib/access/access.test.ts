import { SignJWT, generateKeyPair } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import { decideApprovalRequest } from "@/lib/approvals/decide";
import type { Actor } from "@/lib/auth/actor";
import { executeMutation } from "@/lib/auth/mutation";
import { prisma } from "@/lib/db/client";
import { appUrl } from "@/lib/env";
import { createGrant } from "@/lib/inventory/grants";
import { createIdentity, reactivateIdentity, suspendIdentity, updateIdentity } from "@/lib/inventory/identities";
import { createSystem } from "@/lib/inventory/systems";
import { authorize } from "@/lib/policy/authorize";
import { createTestUser, refused, switchOffApprovals, systemActor } from "@/lib/testing/factories";
import { DAY_MS } from "@/lib/time";
import { activeSigningKey, decryptPrivateKey, jwks, rotateSigningKey } from "./keys";
import { completeAccess, getAccessRequest, requestAccess, type AccessCaller } from "./requests";
import { JIT_AUDIENCE, verifyJitToken, type JitCaller } from "./tokens";

// The just-in-time flow as an agent and the people around it see it: what
// requestAccess answers (201 with a token, 202 with an approval request, 403
// with reasons), what the token lets authorize() allow, what the inventory
// shows, and how completion, expiry, suspension, a new owner and a key
// rotation end or keep a token.

const MINUTE = 60_000;
let owner: { user: { id: string }; actor: Actor };
let lead: Actor;
let docs: { id: string };
let payments: { id: string };
let counter = 0;

async function agent(overrides: Record<string, unknown> = {}) {
  counter += 1;
  const identity = await executeMutation(createIdentity, systemActor, {
    name: `jit-agent-${counter}`,
    kind: "CODING_AGENT",
    purpose: "Fixes failing builds",
    environment: "PROD",
    autonomy: "SUGGEST",
    ownerId: owner.user.id,
    expiresAt: new Date(Date.now() + 60 * DAY_MS).toISOString(),
    ...overrides,
  });
  const caller: AccessCaller = {
    identityId: identity.id,
    identityName: identity.name,
    credential: { kind: "api_token", id: `cred-${counter}` },
  };
  return { identity, caller };
}

/** authorize() is given the verified token as the caller, as lib/auth/agent.ts hands it over. */
const viaToken = (jit: JitCaller) => jit;

const liveGrants = (identityId: string) =>
  prisma.grant.findMany({ where: { identityId, revokedAt: null, OR: [{ expiresAt: null }, { expiresAt: { gt: new Date() } }] } });

beforeAll(async () => {
  await switchOffApprovals();
  // Bound approvals of single calls are on too: a JIT request must open its own request, not one of those.
  await prisma.approvalCatalogEntry.updateMany({ where: { key: { in: ["access.issue", "runtime.call"] } }, data: { enabled: true } });
  owner = await createTestUser();
  lead = (await createTestUser(["SECURITY_LEAD"])).actor;
  docs = await executeMutation(createSystem, systemActor, {
    name: "docs-repo",
    kind: "REPOSITORY",
    environment: "STAGING",
    sensitivity: "INTERNAL",
  });
  payments = await executeMutation(createSystem, systemActor, {
    name: "payments-repo",
    kind: "REPOSITORY",
    environment: "PROD",
    sensitivity: "CONFIDENTIAL",
  });
});

describe("asking for just-in-time access", () => {
  it("issues a signed token at once when the policies allow every action, with JIT grants in the inventory", async () => {
    const { identity, caller } = await agent();
    const before = Date.now();
    const { status, body } = await requestAccess(caller, {
      systemId: docs.id,
      actions: ["read", "write"],
      taskIntent: "Fix the typo in the README",
      taskId: "T-1",
    });
    expect(status).toBe(201);
    expect(body).toMatchObject({ status: "issued", actions: ["read", "write"], taskId: "T-1", ttlMinutes: 15, tokenType: "Bearer" });
    expect(body.expiresAt!.getTime()).toBeGreaterThanOrEqual(before + 15 * MINUTE);
    expect(body.expiresAt!.getTime()).toBeLessThanOrEqual(Date.now() + 15 * MINUTE);
    expect(body.decisionIds).toHaveLength(2);

    const jit = await verifyJitToken(prisma, body.token!);
    expect(jit).toEqual({
      identityId: identity.id,
      identityName: identity.name,
      credential: { kind: "jit", id: expect.any(String) },
      jit: { systemId: docs.id, actions: ["read", "write"], taskId: "T-1", expiresAt: body.expiresAt, approvedByHuman: false },
    });
    const grants = await liveGrants(identity.id);
    expect(grants.map((grant) => [grant.permission, grant.mode, grant.expiresAt?.getTime()]).sort()).toEqual([
      ["READ", "JUST_IN_TIME", body.expiresAt!.getTime()],
      ["WRITE", "JUST_IN_TIME", body.expiresAt!.getTime()],
    ]);
    expect(await authorize(prisma, viaToken(jit), { action: "write", systemId: docs.id })).toMatchObject({ outcome: "allow" });
    const issued = await prisma.auditEvent.findFirstOrThrow({ where: { action: "access.issued", targetId: identity.id } });
    expect(issued).toMatchObject({ actorType: "IDENTITY", actorId: identity.id });
  });

  it("rates just-in-time write one tier below standing write on the same system", async () => {
    const standing = await agent();
    await executeMutation(createGrant, systemActor, { identityId: standing.identity.id, systemId: docs.id, permission: "WRITE" });
    const jit = await agent();
    await requestAccess(jit.caller, { systemId: docs.id, actions: ["write"], taskIntent: "Fix the typo" });
    const tier = async (id: string) => (await prisma.aiIdentity.findUniqueOrThrow({ where: { id } })).riskTier;
    expect(await tier(standing.identity.id)).toBe("MEDIUM");
    expect(await tier(jit.identity.id)).toBe("LOW");
  });

  it("refuses with the policies' reasons when any action is denied, and records no access", async () => {
    const { identity, caller } = await agent({ environment: "STAGING" });
    const error = await refused(requestAccess(caller, { systemId: payments.id, actions: ["read"], taskIntent: "Look at prod" }));
    expect(error.status).toBe(403);
    expect(error.message).toContain("A development or staging identity never acts on production.");
    expect(error.fields).toEqual({ actions: "read is denied (non-prod-never-touches-prod)" });
    expect(await prisma.accessGrant.count({ where: { identityId: identity.id } })).toBe(0);
    expect(await prisma.policyDecision.count({ where: { identityId: identity.id, outcome: "DENY" } })).toBe(1);
  });

  it("names a malformed field and stores nothing", async () => {
    const { identity, caller } = await agent();
    expect((await refused(requestAccess(caller, { systemId: docs.id, actions: ["launch"], taskIntent: "x" }))).fields).toEqual({
      "actions.0": "must be one of read, write, deploy, admin",
    });
    expect(
      (await refused(requestAccess(caller, { systemId: docs.id, actions: ["read"], ttlMinutes: 600, taskIntent: "x" }))).fields,
    ).toEqual({ ttlMinutes: "must be at most 60 minutes" });
    expect((await refused(requestAccess(caller, { systemId: docs.id, actions: ["read"] }))).fields).toEqual({ taskIntent: "is required" });
    expect(await prisma.policyDecision.count({ where: { identityId: identity.id } })).toBe(0);
  });

  it("sends an action that needs a human to approval, issues once approved, and hands the token out once", async () => {
    const { identity, caller } = await agent();
    const asked = await requestAccess(caller, { systemId: payments.id, actions: ["deploy"], taskIntent: "Ship the hotfix", taskId: "T-9" });
    expect(asked.status).toBe(202);
    expect(asked.body).toMatchObject({ status: "pending_approval", approvalRequest: { status: "PENDING" } });
    expect(asked.body.token).toBeUndefined();
    const requestId = asked.body.approvalRequest!.id;
    const request = await prisma.approvalRequest.findUniqueOrThrow({ where: { id: requestId } });
    expect(request).toMatchObject({
      catalogKey: "access.issue",
      requesterId: owner.user.id,
      identityId: identity.id,
      systemId: payments.id,
    });
    expect(request.reason).toContain("Deploying needs a human's approval");
    expect(await prisma.approvalRequest.count({ where: { identityId: identity.id } })).toBe(1);
    expect(await getAccessRequest(caller, asked.body.id)).toMatchObject({ status: "pending_approval", tokenDelivered: false });
    expect(await liveGrants(identity.id)).toEqual([]);

    // The owner answers for the identity, so cannot approve its request.
    expect((await refused(executeMutation(decideApprovalRequest, owner.actor, { requestId, verdict: "APPROVE" }))).status).toBe(403);
    await executeMutation(decideApprovalRequest, lead, { requestId, verdict: "APPROVE" });

    const fetched = await getAccessRequest(caller, asked.body.id);
    expect(fetched).toMatchObject({ status: "issued", tokenType: "Bearer", tokenDelivered: true });
    const jit = await verifyJitToken(prisma, fetched.token!);
    expect(jit.jit).toMatchObject({ systemId: payments.id, actions: ["deploy"], taskId: "T-9", approvedByHuman: true });
    // The approval travels with the token: its deploy is allowed, with no second request.
    expect(await authorize(prisma, viaToken(jit), { action: "deploy", systemId: payments.id })).toMatchObject({ outcome: "allow" });
    expect(await prisma.approvalRequest.count({ where: { identityId: identity.id } })).toBe(1);
    expect((await getAccessRequest(caller, asked.body.id)).token).toBeUndefined();
    expect((await liveGrants(identity.id)).map((grant) => [grant.permission, grant.mode])).toEqual([["DEPLOY", "JUST_IN_TIME"]]);
    // Judged again when issued, with the human's approval.
    expect(fetched.decisionIds).toHaveLength(2);
    expect(await prisma.policyDecision.findUniqueOrThrow({ where: { id: fetched.decisionIds[1]! } })).toMatchObject({
      outcome: "ALLOW",
      humanApproved: true,
    });
    // Another identity cannot read it.
    const other = await agent();
    expect((await refused(getAccessRequest(other.caller, asked.body.id))).status).toBe(404);
  });

  it("does not let a JIT token ask for more access", async () => {
    const { caller } = await agent();
    const { body } = await requestAccess(caller, { systemId: docs.id, actions: ["read"], taskIntent: "Read" });
    const jit = await verifyJitToken(prisma, body.token!);
    expect((await refused(requestAccess(jit, { systemId: docs.id, actions: ["write"], taskIntent: "More" }))).status).toBe(403);
  });
});

describe("ending a token", () => {
  it("stops it at once when the task is completed, and ends its grants", async () => {
    const { identity, caller } = await agent();
    const { body } = await requestAccess(caller, { systemId: docs.id, actions: ["write"], taskIntent: "Fix the typo" });
    const jit = await verifyJitToken(prisma, body.token!);
    expect(await completeAccess(jit, body.id)).toMatchObject({ status: "completed" });
    expect((await refused(verifyJitToken(prisma, body.token!))).message).toMatch(/ended when its task was completed/);
    expect(await liveGrants(identity.id)).toEqual([]);
    expect(await authorize(prisma, viaToken(jit), { action: "write", systemId: docs.id })).toMatchObject({
      outcome: "deny",
      policyIds: ["grant-required"],
    });
    expect((await refused(completeAccess(caller, body.id))).status).toBe(409);
  });

  it("lets it lapse at its expiry: the token and its grants", async () => {
    const { caller } = await agent();
    const { body } = await requestAccess(caller, { systemId: docs.id, actions: ["write"], taskIntent: "Fix", ttlMinutes: 5 });
    const jit = await verifyJitToken(prisma, body.token!);
    const later = new Date(Date.now() + 6 * MINUTE);
    expect((await refused(verifyJitToken(prisma, body.token!, later))).message).toMatch(/has expired/);
    expect(await authorize(prisma, viaToken(jit), { action: "write", systemId: docs.id }, later)).toMatchObject({
      policyIds: ["grant-required"],
    });
    expect((await getAccessRequest(caller, body.id, undefined, later)).status).toBe("expired");
  });

  it("revokes it when the identity is suspended, and it stays revoked after reactivation", async () => {
    const { identity, caller } = await agent();
    const { body } = await requestAccess(caller, { systemId: docs.id, actions: ["read", "write"], taskIntent: "Fix" });
    const pending = await requestAccess(caller, { systemId: payments.id, actions: ["deploy"], taskIntent: "Ship" });
    await executeMutation(suspendIdentity, systemActor, { identityId: identity.id, reason: "Incident" });
    expect((await refused(verifyJitToken(prisma, body.token!))).message).toMatch(/revoked \(identity suspended\)/);
    expect(await liveGrants(identity.id)).toEqual([]);
    const suspended = await prisma.auditEvent.findFirstOrThrow({ where: { action: "identity.suspended", targetId: identity.id } });
    expect(suspended.data).toMatchObject({ jitTokensRevoked: 2 });

    // The request that waited for approval fails when approved: nothing is issued to a suspended identity.
    expect(
      await executeMutation(decideApprovalRequest, lead, { requestId: pending.body.approvalRequest!.id, verdict: "APPROVE" }),
    ).toMatchObject({
      status: "FAILED",
    });
    await executeMutation(reactivateIdentity, systemActor, { identityId: identity.id, reason: "Resolved" });
    expect((await refused(verifyJitToken(prisma, body.token!))).status).toBe(401);
    expect(await getAccessRequest(caller, pending.body.id)).toMatchObject({ status: "revoked", revokedReason: "identity suspended" });
  });

  it("revokes it when the identity gets a new owner", async () => {
    const { identity, caller } = await agent();
    const { body } = await requestAccess(caller, { systemId: docs.id, actions: ["read"], taskIntent: "Read" });
    const newOwner = await createTestUser();
    await executeMutation(updateIdentity, systemActor, { identityId: identity.id, ownerId: newOwner.user.id });
    expect((await refused(verifyJitToken(prisma, body.token!))).message).toMatch(/revoked \(owner changed\)/);
  });
});

describe("tokens and keys", () => {
  it("keeps tokens in flight verifying across a key rotation, and publishes the old key only while they can live", async () => {
    const { caller } = await agent();
    const first = await requestAccess(caller, { systemId: docs.id, actions: ["read"], taskIntent: "Before" });
    const rotated = await executeMutation(rotateSigningKey, systemActor, { reason: "Quarterly" });
    const second = await requestAccess(caller, { systemId: docs.id, actions: ["read"], taskIntent: "After" });
    const kidOf = (token: string) => JSON.parse(Buffer.from(token.split(".")[0]!, "base64url").toString()).kid;
    expect(kidOf(second.body.token!)).toBe(rotated.kid);
    expect(kidOf(first.body.token!)).toBe(rotated.retired[0]);
    await verifyJitToken(prisma, first.body.token!);
    await verifyJitToken(prisma, second.body.token!);

    const published = (await jwks(prisma)).keys.map((key) => key.kid);
    expect(published).toEqual(expect.arrayContaining([rotated.kid, rotated.retired[0]]));
    expect((await jwks(prisma)).keys.every((key) => key.kty === "OKP" && key.crv === "Ed25519" && !("d" in key))).toBe(true);
    // Past the longest lifetime (60 minutes) no token of the old key can be alive: it is no longer published.
    const later = (await jwks(prisma, new Date(Date.now() + 61 * MINUTE))).keys.map((key) => key.kid);
    expect(later).toContain(rotated.kid);
    expect(later).not.toContain(rotated.retired[0]);
    // Someone who may not revoke tokens may not rotate the key either.
    expect((await refused(executeMutation(rotateSigningKey, owner.actor, {}))).status).toBe(403);
  });

  it("replaces an active key the configured secret no longer opens, on the next token, and says so in the audit log", async () => {
    const { caller } = await agent();
    const before = await requestAccess(caller, { systemId: docs.id, actions: ["read"], taskIntent: "Before the secret changed" });
    const stale = await prisma.signingKey.findFirstOrThrow({ where: { retiredAt: null } });
    // What a changed WARRANT_SIGNING_KEY_SECRET looks like from here: the stored key no longer opens.
    const [format, iv, , ciphertext] = stale.privateKey.split(".");
    await prisma.signingKey.update({
      where: { id: stale.id },
      data: { privateKey: [format, iv, Buffer.alloc(16).toString("base64url"), ciphertext].join(".") },
    });

    const after = await requestAccess(caller, { systemId: docs.id, actions: ["read"], taskIntent: "After the secret changed" });
    expect(after.status).toBe(201);
    const kidOf = (token: string) => JSON.parse(Buffer.from(token.split(".")[0]!, "base64url").toString()).kid;
    const fresh = await prisma.signingKey.findFirstOrThrow({ where: { retiredAt: null } });
    expect(kidOf(after.body.token!)).toBe(fresh.id);
    expect(fresh.id).not.toBe(stale.id);
    expect((await prisma.signingKey.findUniqueOrThrow({ where: { id: stale.id } })).retiredAt).not.toBeNull();
    // The token signed before still verifies (its key's public half stays published); so does the new one.
    await verifyJitToken(prisma, before.body.token!);
    await verifyJitToken(prisma, after.body.token!);
    const event = await prisma.auditEvent.findFirstOrThrow({ where: { action: "signing_key.rotated", targetId: fresh.id } });
    expect(event).toMatchObject({
      actorType: "SYSTEM",
      data: expect.objectContaining({ retired: [stale.id], reason: expect.stringMatching(/secret was changed/) }),
    });
    // The next token uses the new key without replacing it again.
    const next = await requestAccess(caller, { systemId: docs.id, actions: ["read"], taskIntent: "Later" });
    expect(kidOf(next.body.token!)).toBe(fresh.id);
  });

  it("keeps private keys encrypted at rest, bound to their kid", async () => {
    const key = await prisma.signingKey.findFirstOrThrow({ where: { retiredAt: null } });
    expect(key.privateKey).toMatch(/^v1\./);
    expect(decryptPrivateKey(key.id, key.privateKey).asymmetricKeyType).toBe("ed25519");
    expect(() => decryptPrivateKey("another-kid", key.privateKey)).toThrow(/cannot be decrypted/);
  });

  it("refuses forged, tampered and wrong-audience tokens", async () => {
    const { caller } = await agent();
    const { body } = await requestAccess(caller, { systemId: docs.id, actions: ["read"], taskIntent: "Read" });
    const [header, payload, signature] = body.token!.split(".");
    const claims = JSON.parse(Buffer.from(payload!, "base64url").toString());

    const tampered = `${header}.${Buffer.from(JSON.stringify({ ...claims, actions: ["admin"] })).toString("base64url")}.${signature}`;
    expect((await refused(verifyJitToken(prisma, tampered))).message).toMatch(/is not valid/);

    const kid = JSON.parse(Buffer.from(header!, "base64url").toString()).kid;
    const stranger = await generateKeyPair("EdDSA", { crv: "Ed25519" });
    const forged = await new SignJWT(claims).setProtectedHeader({ alg: "EdDSA", kid }).sign(stranger.privateKey);
    expect((await refused(verifyJitToken(prisma, forged))).status).toBe(401);

    const realKey = await prisma.$transaction((tx) => activeSigningKey(tx, new Date()));
    const sign = (audience: string, issuer = appUrl()) =>
      new SignJWT({ ...claims, aud: audience, iss: issuer })
        .setProtectedHeader({ alg: "EdDSA", kid: realKey.kid })
        .sign(realKey.privateKey);
    expect((await refused(verifyJitToken(prisma, await sign("someone-else")))).message).toMatch(/is not valid/);
    expect((await refused(verifyJitToken(prisma, await sign(JIT_AUDIENCE, "https://evil.example")))).message).toMatch(/is not valid/);
    // The same claims, properly signed, pass: the refusals above are about audience and issuer alone.
    expect((await verifyJitToken(prisma, await sign(JIT_AUDIENCE))).identityId).toBe(caller.identityId);
    expect((await refused(verifyJitToken(prisma, "not-a-token"))).status).toBe(401);
  });
});
