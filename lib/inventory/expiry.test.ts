import { beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "@/lib/auth/actor";
import { executeMutation } from "@/lib/auth/mutation";
import { prisma } from "@/lib/db/client";
import { createTestUser, systemActor, refused, switchOffApprovals } from "@/lib/testing/factories";
import { DAY_MS } from "@/lib/time";
import { createCredential } from "./credentials";
import { expireDueIdentities, expireDueIdentitiesBatch } from "./expiry";
import { createGrant } from "./grants";
import { createIdentity, reactivateIdentity, retireIdentity, suspendIdentity, updateIdentity } from "./identities";
import { createSystem } from "./systems";

// Identities stop at their expiry date: what the expiry job leaves behind,
// observed in the stored inventory and the audit log.

const inDays = (days: number) => new Date(Date.now() + days * DAY_MS);

let owner: { user: { id: string }; actor: Actor };
let lead: { user: { id: string }; actor: Actor };
let systemId: string;
let counter = 0;

/** A registered identity with a grant, a credential and an open review, whose expiry date is then moved by `expiresInDays`. */
async function identityExpiringIn(expiresInDays: number) {
  counter += 1;
  const identity = await executeMutation(createIdentity, owner.actor, {
    name: `expiring-${counter}`,
    kind: "CI_BOT",
    purpose: "Builds releases",
    environment: "DEV",
    ownerId: owner.user.id,
    expiresAt: inDays(30).toISOString(),
  });
  await executeMutation(createGrant, owner.actor, { identityId: identity.id, systemId, permission: "WRITE" });
  await executeMutation(createCredential, owner.actor, {
    identityId: identity.id,
    type: "PAT",
    label: "pat",
    fingerprint: `kid-exp-${counter}`,
    issuedAt: inDays(-1).toISOString(),
  });
  // The write grant opened a review (a change review, lib/reviews/change.ts): the open review the expiry must close.
  expect(await prisma.review.count({ where: { identityId: identity.id, status: "OPEN" } })).toBe(1);
  // Time passes (an expiry in the past cannot be typed in; it can only arrive).
  await prisma.aiIdentity.update({ where: { id: identity.id }, data: { expiresAt: inDays(expiresInDays) } });
  return identity;
}

beforeAll(async () => {
  // What these changes do, not who approves them: lib/approvals/approvals.test.ts covers that.
  await switchOffApprovals();
  owner = await createTestUser([]);
  lead = await createTestUser(["SECURITY_LEAD"]);
  systemId = (
    await executeMutation(createSystem, lead.actor, {
      name: "expiry-repo",
      kind: "REPOSITORY",
      environment: "DEV",
      sensitivity: "CONFIDENTIAL",
    })
  ).id;
});

describe("expiring identities", () => {
  it("expires identities in service past their date: grants end, credentials are revoked, the open review closes; once", async () => {
    const past = await identityExpiringIn(-1);
    const suspendedPast = await identityExpiringIn(-2);
    await executeMutation(suspendIdentity, owner.actor, { identityId: suspendedPast.id });
    const future = await identityExpiringIn(5);
    const retiredPast = await identityExpiringIn(-3);
    await executeMutation(retireIdentity, owner.actor, { identityId: retiredPast.id });

    expect(await expireDueIdentities(prisma, systemActor)).toBe(2);

    for (const identity of [past, suspendedPast]) {
      expect((await prisma.aiIdentity.findUniqueOrThrow({ where: { id: identity.id } })).status).toBe("EXPIRED");
      expect(await prisma.grant.count({ where: { identityId: identity.id, revokedAt: null } })).toBe(0);
      expect(await prisma.credential.count({ where: { identityId: identity.id, status: "ACTIVE" } })).toBe(0);
      expect(await prisma.review.count({ where: { identityId: identity.id, status: "OPEN" } })).toBe(0);
    }
    const event = await prisma.auditEvent.findFirstOrThrow({ where: { action: "identity.expired", targetId: past.id } });
    expect(event).toMatchObject({
      actorType: "SYSTEM",
      data: { from: "ACTIVE", to: "EXPIRED", grantsEnded: 1, credentialsRevoked: 1, reviewsCancelled: 1 },
    });
    expect((await prisma.aiIdentity.findUniqueOrThrow({ where: { id: future.id } })).status).toBe("ACTIVE");
    expect(await prisma.grant.count({ where: { identityId: future.id, revokedAt: null } })).toBe(1);
    expect((await prisma.aiIdentity.findUniqueOrThrow({ where: { id: retiredPast.id } })).status).toBe("RETIRED");

    const events = await prisma.auditEvent.count();
    expect(await expireDueIdentities(prisma, systemActor)).toBe(0);
    expect(await prisma.auditEvent.count()).toBe(events);
  });

  it("is done by Warrant only", async () => {
    expect((await refused(() => executeMutation(expireDueIdentitiesBatch, lead.actor, { now: new Date(), limit: 10 }))).code).toBe(
      "forbidden",
    );
  });

  it("an expired identity comes back only through a security lead, after its expiry is extended, and with no access", async () => {
    const identity = await identityExpiringIn(-1);
    await expireDueIdentities(prisma, systemActor);
    expect((await refused(() => executeMutation(reactivateIdentity, lead.actor, { identityId: identity.id }))).message).toMatch(
      /extend the expiry first/,
    );
    await executeMutation(updateIdentity, lead.actor, { identityId: identity.id, expiresAt: inDays(60).toISOString() });
    expect((await refused(() => executeMutation(reactivateIdentity, owner.actor, { identityId: identity.id }))).code).toBe("forbidden");
    const back = await executeMutation(reactivateIdentity, lead.actor, { identityId: identity.id });
    expect(back.status).toBe("ACTIVE");
    expect(await prisma.grant.count({ where: { identityId: identity.id, revokedAt: null } })).toBe(0);
  });
});
