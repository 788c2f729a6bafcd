import { SignJWT, createLocalJWKSet, generateKeyPair, jwtVerify } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import { activeSigningKey } from "@/lib/access/keys";
import { JIT_AUDIENCE } from "@/lib/access/tokens";
import { executeMutation } from "@/lib/auth/mutation";
import { prisma } from "@/lib/db/client";
import { appUrl } from "@/lib/env";
import { createIdentity } from "@/lib/inventory/identities";
import { createSystem } from "@/lib/inventory/systems";
import { apiAs } from "@/lib/testing/api-client";
import { createTestToken, createTestUser, switchOffApprovals, systemActor } from "@/lib/testing/factories";
import { DAY_MS } from "@/lib/time";
import { GET as getJwks } from "../../api/jwks/route";

// Just-in-time access over HTTP, as an agent sees it: it asks with its agent
// token, gets a short-lived JWT, calls authorize with it, and ends the task.
// The authorize API accepts a valid JIT token within its scope and refuses an
// expired, revoked, completed, forged or wrong-audience one (401).

let owner: ReturnType<typeof apiAs>;
let lead: ReturnType<typeof apiAs>;
let ownerEmail: string;
let ownerId: string;
let docs: { id: string };
let payments: { id: string };
let counter = 0;

async function agent(environment = "PROD") {
  counter += 1;
  const identity = await executeMutation(createIdentity, systemActor, {
    name: `http-jit-agent-${counter}`,
    kind: "CODING_AGENT",
    purpose: "Fixes failing builds",
    environment,
    autonomy: "SUGGEST",
    ownerId,
    expiresAt: new Date(Date.now() + 60 * DAY_MS).toISOString(),
  });
  const issued = await owner.post("identities/[id]/agent-tokens", { label: "runner" }, { id: identity.id });
  expect(issued.status).toBe(201);
  return { identity, api: apiAs(issued.body.secret as string), credentialId: issued.body.credentialId as string };
}

beforeAll(async () => {
  await switchOffApprovals();
  await prisma.approvalCatalogEntry.update({ where: { key: "access.issue" }, data: { enabled: true } });
  const ownerUser = await createTestUser();
  ownerId = ownerUser.user.id;
  ownerEmail = ownerUser.user.email;
  owner = apiAs(await createTestToken(ownerEmail));
  lead = apiAs(await createTestToken((await createTestUser(["SECURITY_LEAD"])).user.email));
  docs = await executeMutation(createSystem, systemActor, {
    name: "http-docs",
    kind: "REPOSITORY",
    environment: "STAGING",
    sensitivity: "INTERNAL",
  });
  payments = await executeMutation(createSystem, systemActor, {
    name: "http-payments",
    kind: "REPOSITORY",
    environment: "PROD",
    sensitivity: "CONFIDENTIAL",
  });
});

describe("POST /access-requests and the token it gives", () => {
  it("issues a token that authorize accepts within its system and actions, until the task is completed", async () => {
    const { identity, api } = await agent();
    const asked = await api.post("access-requests", { systemId: docs.id, actions: ["write"], taskIntent: "Fix the docs", taskId: "T-7" });
    expect(asked.status).toBe(201);
    expect(asked.body).toMatchObject({ status: "issued", tokenType: "Bearer", actions: ["write"], taskId: "T-7" });
    const jit = apiAs(asked.body.token as string);

    expect((await jit.post("authorize", { action: "write", systemId: docs.id })).body).toMatchObject({ outcome: "allow" });
    expect((await jit.post("authorize", { action: "read", systemId: docs.id })).body).toMatchObject({ outcome: "deny" });
    expect((await jit.post("authorize", { action: "write", systemId: payments.id })).body).toMatchObject({ outcome: "deny" });
    const stored = await prisma.policyDecision.findFirstOrThrow({ where: { identityId: identity.id, credentialKind: "jit" } });
    expect(stored.credentialId).toBe(JSON.parse(Buffer.from((asked.body.token as string).split(".")[1]!, "base64url").toString()).jti);

    // The inventory shows the JIT grant with the token's expiry.
    const shown = await owner.get("identities/[id]", { id: identity.id });
    expect(shown.body.grants).toEqual([
      expect.objectContaining({ permission: "WRITE", mode: "JUST_IN_TIME", expiresAt: asked.body.expiresAt, revokedAt: null }),
    ]);

    // A JIT token cannot ask for more.
    expect((await jit.post("access-requests", { systemId: docs.id, actions: ["read"], taskIntent: "More" })).status).toBe(403);

    const completed = await jit.post("access-requests/[id]/complete", {}, { id: asked.body.id });
    expect(completed.status).toBe(200);
    expect(completed.body.status).toBe("completed");
    const after = await jit.post("authorize", { action: "write", systemId: docs.id });
    expect(after.status).toBe(401);
    expect(after.body.error.message).toMatch(/ended when its task was completed/);
    expect((await api.post("access-requests/[id]/complete", {}, { id: asked.body.id })).status).toBe(409);
  });

  it("answers 202 for an action that needs approval and hands the token out once after a lead approves", async () => {
    const { api } = await agent();
    const asked = await api.post("access-requests", { systemId: payments.id, actions: ["deploy"], taskIntent: "Ship the fix" });
    expect(asked.status).toBe(202);
    expect(asked.body).toMatchObject({ status: "pending_approval", approvalRequest: { status: "PENDING" } });
    expect((await api.get("access-requests/[id]", { id: asked.body.id })).body).toMatchObject({ status: "pending_approval" });

    const approved = await lead.post("approval-requests/[id]/approve", {}, { id: asked.body.approvalRequest.id });
    expect(approved.status).toBe(200);
    const fetched = await api.get("access-requests/[id]", { id: asked.body.id });
    expect(fetched.body).toMatchObject({ status: "issued", tokenDelivered: true });
    expect(fetched.body.token).toMatch(/^ey/);
    const again = await api.get("access-requests/[id]", { id: asked.body.id });
    expect(again.body.token).toBeUndefined();

    // Anyone can verify it offline against the published keys.
    const published = await getJwks();
    expect(published.headers.get("cache-control")).toBe("public, max-age=60");
    const keys = createLocalJWKSet((await published.json()) as { keys: [] });
    const { payload } = await jwtVerify(fetched.body.token as string, keys, { issuer: appUrl(), audience: JIT_AUDIENCE });
    expect(payload).toMatchObject({ sub: fetched.body.identityId, system: payments.id, actions: ["deploy"] });
  });

  it("answers 403 with the policies' reasons when an action is denied, and 422 naming a bad field", async () => {
    const { api } = await agent();
    const bad = await api.post("access-requests", { systemId: docs.id, actions: ["read", "launch"], taskIntent: "x" });
    expect(bad.status).toBe(422);
    expect(bad.body.error.fields).toEqual({ "actions.1": "must be one of read, write, deploy, admin" });
    const missing = await api.post("access-requests", { systemId: "nope", actions: ["read"], taskIntent: "x" });
    expect(missing.status).toBe(422);
    expect(missing.body.error.fields).toEqual({ systemId: "must be a system in the inventory" });

    const staging = await agent("STAGING");
    const denied = await staging.api.post("access-requests", { systemId: payments.id, actions: ["read"], taskIntent: "Peek at prod" });
    expect(denied.status).toBe(403);
    expect(denied.body.error.message).toContain("A development or staging identity never acts on production.");
    expect(denied.body.error.fields).toEqual({ actions: "read is denied (non-prod-never-touches-prod)" });
  });

  it("is refused to people's API tokens and to no token at all", async () => {
    expect((await owner.post("access-requests", { systemId: docs.id, actions: ["read"], taskIntent: "x" })).status).toBe(401);
    expect((await apiAs(undefined).post("access-requests", { systemId: docs.id, actions: ["read"], taskIntent: "x" })).status).toBe(401);
  });
});

describe("authorize with a JIT token", () => {
  async function issued() {
    const { identity, api, credentialId } = await agent();
    const asked = await api.post("access-requests", { systemId: docs.id, actions: ["read"], taskIntent: "Read the docs" });
    expect(asked.status).toBe(201);
    return { identity, credentialId, token: asked.body.token as string };
  }

  it("refuses a token whose agent token was revoked: what a leaked token obtained goes with it", async () => {
    const { credentialId, token } = await issued();
    expect((await owner.post("credentials/[id]/revoke", {}, { id: credentialId })).status).toBe(200);
    const answer = await apiAs(token).post("authorize", { action: "read", systemId: docs.id });
    expect(answer.status).toBe(401);
    expect(answer.body.error.message).toMatch(/revoked \(agent token revoked\)/);
  });

  it("refuses a revoked token once its identity is suspended", async () => {
    const { identity, token } = await issued();
    expect((await apiAs(token).post("authorize", { action: "read", systemId: docs.id })).status).toBe(200);
    expect((await owner.post("identities/[id]/suspend", { reason: "Incident" }, { id: identity.id })).status).toBe(200);
    const answer = await apiAs(token).post("authorize", { action: "read", systemId: docs.id });
    expect(answer.status).toBe(401);
    expect(answer.body.error.message).toMatch(/revoked \(identity suspended\)/);
  });

  it("lets the owner revoke a token now, lists it on the identity, and refuses a stranger", async () => {
    const { identity, token } = await issued();
    const listed = await owner.get("identities/[id]/access-grants", { id: identity.id });
    expect(listed.body.accessGrants).toEqual([
      expect.objectContaining({ state: "active", actions: ["read"], system: expect.objectContaining({ id: docs.id }) }),
    ]);
    const id = listed.body.accessGrants[0].id as string;

    const stranger = apiAs(await createTestToken((await createTestUser()).user.email));
    expect((await stranger.post("access-requests/[id]/revoke", { reason: "mine now" }, { id })).status).toBe(403);
    const revoked = await owner.post("access-requests/[id]/revoke", { reason: "Task abandoned" }, { id });
    expect(revoked.status).toBe(200);
    expect(revoked.body.revokedReason).toBe("Task abandoned");
    const answer = await apiAs(token).post("authorize", { action: "read", systemId: docs.id });
    expect(answer.status).toBe(401);
    expect(answer.body.error.message).toMatch(/revoked \(Task abandoned\)/);
    expect((await owner.get("identities/[id]/access-grants", { id: identity.id })).body.accessGrants[0]).toMatchObject({
      state: "revoked",
      revokedReason: "Task abandoned",
    });
    expect((await owner.post("access-requests/[id]/revoke", {}, { id })).status).toBe(409);
  });

  it("refuses expired, forged and wrong-audience tokens", async () => {
    const { token } = await issued();
    const [header, payload] = token.split(".");
    const claims = JSON.parse(Buffer.from(payload!, "base64url").toString());
    const { kid } = JSON.parse(Buffer.from(header!, "base64url").toString());
    const realKey = await prisma.$transaction((tx) => activeSigningKey(tx, new Date()));
    const signed = (changes: Record<string, unknown>, key = realKey.privateKey as CryptoKey | typeof realKey.privateKey) =>
      new SignJWT({ ...claims, ...changes }).setProtectedHeader({ alg: "EdDSA", kid }).sign(key);

    const expired = await apiAs(await signed({ exp: Math.floor(Date.now() / 1000) - 60 })).post("authorize", {
      action: "read",
      systemId: docs.id,
    });
    expect(expired.status).toBe(401);
    expect(expired.body.error.message).toMatch(/has expired/);

    const stranger = await generateKeyPair("EdDSA", { crv: "Ed25519" });
    const forged = await apiAs(await signed({}, stranger.privateKey)).post("authorize", { action: "read", systemId: docs.id });
    expect(forged.status).toBe(401);
    expect(forged.body.error.message).toMatch(/is not valid/);

    const elsewhere = await apiAs(await signed({ aud: "another-service" })).post("authorize", { action: "read", systemId: docs.id });
    expect(elsewhere.status).toBe(401);
    // The same claims with the right audience pass: the refusal is about the audience alone.
    expect((await apiAs(await signed({})).post("authorize", { action: "read", systemId: docs.id })).status).toBe(200);
  });
});
