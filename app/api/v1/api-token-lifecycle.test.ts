import { beforeAll, describe, expect, it } from "vitest";
import { createApiToken, revokeApiToken } from "@/lib/auth/api-tokens";
import { executeMutation } from "@/lib/auth/mutation";
import type { Actor } from "@/lib/auth/actor";
import { prisma } from "@/lib/db/client";
import { bulkUpdateIdentities } from "@/lib/inventory/bulk";
import { revokeGrant } from "@/lib/inventory/grants";
import { reactivateIdentity, retireIdentity, suspendIdentity } from "@/lib/inventory/identities";
import { expireDueIdentities } from "@/lib/inventory/expiry";
import { suspendOverdueIdentities } from "@/lib/reviews/overdue";
import { apiAs } from "@/lib/testing/api-client";
import { listApiTokensOf, listLiveApiTokens } from "@/lib/users/queries";
import { createTestUser, refused, systemActor, switchOffApprovals } from "@/lib/testing/factories";

// Each API token is inventoried as an identity with grants on the Warrant API.
// That record is what security teams act on, so it must be what decides
// whether the token works: whatever Warrant shows as not active cannot
// authenticate, and a token acts only within the grants it still holds.

const DAY_MS = 86_400_000;
let owner: { user: { id: string; email: string }; actor: Actor };
let lead: Actor;
let leadToken: string;

async function issue(scopes: ("READ" | "WRITE")[] = ["READ", "WRITE"]) {
  const token = await executeMutation(createApiToken, owner.actor, { name: "lifecycle", scopes, expiresInDays: 30 });
  const row = await prisma.apiToken.findUniqueOrThrow({ where: { id: token.id } });
  return { secret: token.secret, tokenId: token.id, identityId: row.identityId! };
}

/** A change a write-scoped token may make: registering a system. */
const writeSomething = (secret: string) =>
  apiAs(secret).post("systems", {
    name: `sys-${Math.random().toString(36).slice(2, 8)}`,
    kind: "REPOSITORY",
    environment: "DEV",
    sensitivity: "INTERNAL",
  });

beforeAll(async () => {
  // What these changes do, not who approves them: lib/approvals/approvals.test.ts covers that.
  await switchOffApprovals();
  owner = await createTestUser([]);
  const securityLead = await createTestUser(["SECURITY_LEAD"]);
  lead = securityLead.actor;
  leadToken = (await executeMutation(createApiToken, lead, { name: "lead's", scopes: ["READ", "WRITE"], expiresInDays: 30 })).secret;
});

describe("a token whose identity Warrant shows as not active", () => {
  it("works while its identity is active", async () => {
    const { secret } = await issue();
    expect((await apiAs(secret).get("me")).status).toBe(200);
    expect((await writeSomething(secret)).status).toBe(201);
  });

  it("stops when the identity is suspended by hand", async () => {
    const { secret, identityId } = await issue();
    await executeMutation(suspendIdentity, lead, { identityId, reason: "looks odd" });
    expect((await apiAs(secret).get("me")).status).toBe(401);
    expect((await writeSomething(secret)).status).toBe(401);
  });

  it("works again once a security lead reactivates the suspended identity", async () => {
    const { secret, identityId } = await issue();
    await executeMutation(suspendIdentity, owner.actor, { identityId, reason: "pausing it" });
    expect((await apiAs(secret).get("me")).status).toBe(401);
    await executeMutation(reactivateIdentity, lead, { identityId });
    expect((await apiAs(secret).get("me")).status).toBe(200);
    expect((await writeSomething(secret)).status).toBe(201);
  });

  it("stops when the identity is suspended in bulk", async () => {
    const { secret, identityId } = await issue();
    await executeMutation(bulkUpdateIdentities, lead, { action: "suspend", identityIds: [identityId], reason: "incident" });
    expect((await apiAs(secret).get("me")).status).toBe(401);
  });

  it("stops when the overdue-review sweep suspends the identity", async () => {
    const { secret, identityId } = await issue();
    await prisma.review.create({ data: { identityId, status: "OPEN", trigger: "SCHEDULED", dueAt: new Date(Date.now() - 20 * DAY_MS) } });
    expect(await suspendOverdueIdentities(prisma, systemActor)).toBeGreaterThanOrEqual(1);
    expect((await prisma.aiIdentity.findUniqueOrThrow({ where: { id: identityId } })).status).toBe("SUSPENDED");
    expect((await apiAs(secret).get("me")).status).toBe(401);
  });

  it("stops when the identity is retired", async () => {
    const { secret, identityId } = await issue();
    await executeMutation(retireIdentity, owner.actor, { identityId, reason: "no longer used" });
    expect((await apiAs(secret).get("me")).status).toBe(401);
  });

  it("stops when the identity has passed its expiry date, even before the expiry job runs", async () => {
    const { secret, identityId } = await issue();
    await prisma.aiIdentity.update({ where: { id: identityId }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect((await apiAs(secret).get("me")).status).toBe(401);
    await expireDueIdentities(prisma, systemActor);
    expect((await prisma.aiIdentity.findUniqueOrThrow({ where: { id: identityId } })).status).toBe("EXPIRED");
    expect((await apiAs(secret).get("me")).status).toBe(401);
  });
});

describe("a token whose grants on the Warrant API ended", () => {
  it("cannot write once its WRITE grant is revoked, and can still read", async () => {
    const { secret, identityId } = await issue();
    const write = await prisma.grant.findFirstOrThrow({ where: { identityId, permission: "WRITE" } });
    await executeMutation(revokeGrant, lead, { grantId: write.id });
    const { status, body } = await writeSomething(secret);
    expect(status).toBe(403);
    expect(body.error.code).toBe("forbidden");
    expect((await apiAs(secret).get("me")).status).toBe(200);
  });

  it("cannot read once its READ grant is revoked too", async () => {
    const { secret, identityId } = await issue(["READ"]);
    const read = await prisma.grant.findFirstOrThrow({ where: { identityId, permission: "READ" } });
    await executeMutation(revokeGrant, lead, { grantId: read.id });
    expect((await apiAs(secret).get("identities")).status).toBe(403);
  });
});

describe("revoking someone else's token", () => {
  it("is allowed to a security lead, in the browser's mutation and through the API", async () => {
    const first = await issue();
    await executeMutation(revokeApiToken, lead, { tokenId: first.tokenId });
    expect((await apiAs(first.secret).get("me")).status).toBe(401);
    expect((await prisma.aiIdentity.findUniqueOrThrow({ where: { id: first.identityId } })).status).toBe("REVOKED");

    const second = await issue();
    const { status } = await apiAs(leadToken).post("api-tokens/[id]/revoke", {}, { id: second.tokenId });
    expect(status).toBe(200);
    expect((await apiAs(second.secret).get("me")).status).toBe(401);
    const event = await prisma.auditEvent.findFirst({ where: { action: "api_token.revoked", targetId: second.tokenId } });
    expect(event?.actorType).toBe("API_TOKEN");
  });

  it("is still not allowed to another member (404, so ids cannot be probed)", async () => {
    const { secret } = await issue();
    const someone = await createTestUser([]);
    const row = await prisma.apiToken.findFirstOrThrow({ where: { userId: owner.user.id, revokedAt: null } });
    const error = await refused(executeMutation(revokeApiToken, someone.actor, { tokenId: row.id }));
    expect(error.code).toBe("not_found");
    expect((await apiAs(secret).get("me")).status).toBe(200);
  });
});

describe("creating tokens", () => {
  it("is refused to a token, even a write-scoped one, with 403 saying where tokens are made", async () => {
    const { secret } = await issue();
    const before = await prisma.apiToken.count();
    const { status, body } = await apiAs(secret).post("api-tokens", { name: "child", scopes: ["READ", "WRITE"], expiresInDays: 365 });
    expect(status).toBe(403);
    expect(body.error.code).toBe("forbidden");
    expect(body.error.message).toMatch(/API tokens cannot create API tokens.*Admin page.*tokens:create/);
    expect(await prisma.apiToken.count()).toBe(before);
  });

  it("works for a signed-in person and for the CLI", async () => {
    expect((await executeMutation(createApiToken, owner.actor, { name: "mine", scopes: ["READ"], expiresInDays: 5 })).secret).toMatch(
      /^wrt_/,
    );
    expect(
      (await executeMutation(createApiToken, systemActor, { userEmail: owner.user.email, name: "cli", scopes: ["READ"], expiresInDays: 5 }))
        .secret,
    ).toMatch(/^wrt_/);
  });
});

describe("the Admin page's token lists", () => {
  // What the owner ("Your API tokens") and admins ("Everyone's API tokens")
  // see must be what authentication decides: a token shown as active works,
  // one that fails says why.
  async function listedState(tokenId: string) {
    const mine = (await listApiTokensOf(prisma, owner.user.id)).find((token) => token.id === tokenId);
    const everyones = (await listLiveApiTokens(prisma)).find((token) => token.id === tokenId);
    expect(everyones?.state, "the admins' list agrees with the owner's").toBe(mine?.state);
    return mine?.state;
  }

  it("shows a working token as active", async () => {
    const { secret, tokenId } = await issue();
    expect(await listedState(tokenId)).toBe("Active");
    expect((await apiAs(secret).get("me")).status).toBe(200);
  });

  it("shows why a token whose identity was suspended, retired or has expired stops, and that it works again once reactivated", async () => {
    const suspended = await issue();
    await executeMutation(suspendIdentity, lead, { identityId: suspended.identityId, reason: "looks odd" });
    expect(await listedState(suspended.tokenId)).toBe("Stopped: identity suspended");
    expect((await apiAs(suspended.secret).get("me")).status).toBe(401);
    await executeMutation(reactivateIdentity, lead, { identityId: suspended.identityId });
    expect(await listedState(suspended.tokenId)).toBe("Active");

    const retired = await issue();
    await executeMutation(retireIdentity, owner.actor, { identityId: retired.identityId, reason: "no longer used" });
    expect(await listedState(retired.tokenId)).toMatch(/^Stopped: identity (retired|revoked)$/);
    expect((await apiAs(retired.secret).get("me")).status).toBe(401);

    const expired = await issue();
    await prisma.aiIdentity.update({ where: { id: expired.identityId }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect(await listedState(expired.tokenId)).toBe("Stopped: identity expired");
    expect((await apiAs(expired.secret).get("me")).status).toBe(401);
  });

  it("shows a revoked token as revoked in its owner's list and leaves it out of the admins' list of live tokens", async () => {
    const { tokenId } = await issue();
    await executeMutation(revokeApiToken, lead, { tokenId });
    expect((await listApiTokensOf(prisma, owner.user.id)).find((token) => token.id === tokenId)?.state).toBe("Revoked");
    expect((await listLiveApiTokens(prisma)).some((token) => token.id === tokenId)).toBe(false);
  });
});
