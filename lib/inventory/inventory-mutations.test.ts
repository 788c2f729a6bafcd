import { beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "@/lib/auth/actor";
import { executeMutation } from "@/lib/auth/mutation";
import { prisma } from "@/lib/db/client";
import { allMutations } from "@/lib/mutations";
import { createTestUser, systemActor, refused, switchOffApprovals } from "@/lib/testing/factories";
import { deactivateUser } from "@/lib/users/mutations";
import { createCredential, revokeCredential, rotateCredential } from "./credentials";
import { createGrant, revokeGrant } from "./grants";
import { createIdentity, reactivateIdentity, retireIdentity, suspendIdentity, updateIdentity } from "./identities";
import { createSystem } from "./systems";
import { DAY_MS } from "@/lib/time";

// The inventory's mutations end to end against a real database, called the way
// forms and the API call them: through executeMutation with a real actor.

const inDays = (days: number) => new Date(Date.now() + days * DAY_MS).toISOString();
// Built at run time so no token-shaped literal sits in the repository for scanners to flag.
const GITHUB_TOKEN_SHAPED = `ghp_${"a1B2c3D4e5".repeat(4)}`;

async function latestEvent(action?: string) {
  return prisma.auditEvent.findFirstOrThrow({ where: action ? { action } : {}, orderBy: { seq: "desc" } });
}

async function inventoryCounts() {
  const [identities, grants, credentials, auditEvents] = await Promise.all([
    prisma.aiIdentity.count(),
    prisma.grant.count(),
    prisma.credential.count(),
    prisma.auditEvent.count(),
  ]);
  return { identities, grants, credentials, auditEvents };
}

let owner: { user: { id: string; email: string }; actor: Actor };
let colleague: { user: { id: string; email: string }; actor: Actor };
let lead: { user: { id: string }; actor: Actor };
let restrictedProd: { id: string; name: string };
let internalRepo: { id: string; name: string };
let counter = 0;

/** A valid registration by the owner; each call gets a fresh name. */
function registration(overrides: Record<string, unknown> = {}) {
  counter += 1;
  return {
    name: `agent-${counter}`,
    kind: "CODING_AGENT",
    purpose: "Prepares release branches",
    environment: "PROD",
    autonomy: "SUGGEST",
    ownerId: owner.user.id,
    expiresAt: inDays(60),
    ...overrides,
  };
}

async function registerAsOwner(overrides: Record<string, unknown> = {}) {
  return executeMutation(createIdentity, owner.actor, registration(overrides));
}

beforeAll(async () => {
  // What these changes do, not who approves them: lib/approvals/approvals.test.ts covers that.
  await switchOffApprovals();
  owner = await createTestUser([], { email: "olivia@example.com" });
  colleague = await createTestUser([], { email: "omar@example.com" });
  lead = await createTestUser(["SECURITY_LEAD"], { email: "sam@example.com" });
  restrictedProd = await executeMutation(createSystem, systemActor, {
    name: "k8s-prod",
    kind: "DEPLOY_TARGET",
    environment: "PROD",
    sensitivity: "RESTRICTED",
  });
  internalRepo = await executeMutation(createSystem, systemActor, {
    name: "github.com/acme/web",
    kind: "REPOSITORY",
    environment: "DEV",
    sensitivity: "INTERNAL",
  });
});

describe("registering an identity", () => {
  it("refuses one without an owner, a purpose or an expiry, naming each field, and writes nothing", async () => {
    const before = await inventoryCounts();
    const error = await refused(() =>
      executeMutation(createIdentity, lead.actor, { name: "nameless-purpose", kind: "CODING_AGENT", environment: "PROD" }),
    );
    expect(error.status).toBe(422);
    expect(error.fields).toMatchObject({
      ownerId: "is required",
      purpose: "is required",
      expiresAt: expect.stringContaining("must be a date"),
    });
    expect(error.message).toContain("purpose: is required");
    expect(await inventoryCounts()).toEqual(before);
  });

  it("refuses an expiry in the past or more than two years ahead", async () => {
    const past = await refused(() => registerAsOwner({ expiresAt: inDays(-1) }));
    expect(past.fields).toEqual({ expiresAt: "must be in the future" });
    const endless = await refused(() => registerAsOwner({ expiresAt: inDays(800) }));
    expect(endless.fields).toEqual({ expiresAt: "must be within 730 days" });
  });

  it("registers a member's own identity as active and audits who did it", async () => {
    const identity = await registerAsOwner({ name: "release-agent" });
    const stored = await prisma.aiIdentity.findUniqueOrThrow({ where: { id: identity.id } });
    expect(stored).toMatchObject({ name: "release-agent", status: "ACTIVE", ownerId: owner.user.id, reviewCadenceDays: 90 });
    expect(stored.nextReviewAt.getTime()).toBeGreaterThan(Date.now() + 89 * DAY_MS);
    const event = await latestEvent();
    expect(event).toMatchObject({
      action: "identity.created",
      targetType: "identity",
      targetId: identity.id,
      actorId: owner.user.id,
      actorLabel: "olivia@example.com",
    });
  });

  it("refuses a second identity with the same name in the same environment (409), but allows it in another", async () => {
    await registerAsOwner({ name: "shared-name", environment: "PROD" });
    const before = await inventoryCounts();
    const clash = await refused(() => registerAsOwner({ name: "shared-name", environment: "PROD" }));
    expect(clash.status).toBe(409);
    expect(clash.fields).toEqual({ name: "is already used in PROD" });
    expect(await inventoryCounts()).toEqual(before);

    const dev = await registerAsOwner({ name: "shared-name", environment: "DEV" });
    expect(dev).toMatchObject({ name: "shared-name", environment: "DEV" });
  });

  it("does not let a member register an identity for someone else", async () => {
    const before = await inventoryCounts();
    const error = await refused(() => executeMutation(createIdentity, owner.actor, registration({ ownerId: colleague.user.id })));
    expect(error.status).toBe(403);
    expect(error.fields?.ownerId).toBeDefined();
    expect(await inventoryCounts()).toEqual(before);

    // A security lead may.
    const forColleague = await executeMutation(createIdentity, lead.actor, registration({ ownerId: colleague.user.id }));
    expect(forColleague.ownerId).toBe(colleague.user.id);
  });

  it("computes and stores the risk tier with its reasons", async () => {
    const identity = await registerAsOwner({ autonomy: "AUTONOMOUS" });
    expect(identity.riskTier).toBe("MEDIUM");
    const stored = await prisma.aiIdentity.findUniqueOrThrow({ where: { id: identity.id } });
    expect(stored.riskTier).toBe("MEDIUM");
    expect(stored.riskReasons).toEqual(["autonomous: acts without a human in the loop"]);
    expect(((await latestEvent()).data as { riskTier: string }).riskTier).toBe("MEDIUM");
  });
});

describe("grants", () => {
  it("keeps read, write, deploy and admin as separate grants: none implies another", async () => {
    const identity = await registerAsOwner();
    await executeMutation(createGrant, owner.actor, { identityId: identity.id, systemId: internalRepo.id, permission: "WRITE" });
    expect(await prisma.grant.findMany({ where: { identityId: identity.id }, select: { permission: true } })).toEqual([
      { permission: "WRITE" },
    ]);

    for (const permission of ["READ", "DEPLOY", "ADMIN"]) {
      await executeMutation(createGrant, owner.actor, { identityId: identity.id, systemId: internalRepo.id, permission });
    }
    const live = await prisma.grant.findMany({ where: { identityId: identity.id, revokedAt: null }, orderBy: { permission: "asc" } });
    expect(live.map((grant) => grant.permission)).toEqual(["READ", "WRITE", "DEPLOY", "ADMIN"]);
  });

  it("refuses a duplicate live grant (409) and allows it again once revoked", async () => {
    const identity = await registerAsOwner();
    const grant = await executeMutation(createGrant, owner.actor, {
      identityId: identity.id,
      systemId: internalRepo.id,
      permission: "READ",
    });
    const before = await inventoryCounts();
    const duplicate = await refused(() =>
      executeMutation(createGrant, owner.actor, { identityId: identity.id, systemId: internalRepo.id, permission: "READ" }),
    );
    expect(duplicate.status).toBe(409);
    expect(duplicate.fields).toEqual({ permission: "is already granted" });
    expect(await inventoryCounts()).toEqual(before);

    await executeMutation(revokeGrant, owner.actor, { grantId: grant.id });
    expect((await latestEvent()).action).toBe("grant.revoked");
    const again = await executeMutation(createGrant, owner.actor, {
      identityId: identity.id,
      systemId: internalRepo.id,
      permission: "READ",
    });
    expect(again.id).not.toBe(grant.id);
    const twice = await refused(() => executeMutation(revokeGrant, owner.actor, { grantId: grant.id }));
    expect(twice.status).toBe(409);
  });

  it("requires an expiry for a just-in-time grant", async () => {
    const identity = await registerAsOwner();
    const error = await refused(() =>
      executeMutation(createGrant, owner.actor, {
        identityId: identity.id,
        systemId: internalRepo.id,
        permission: "WRITE",
        mode: "JUST_IN_TIME",
        expiresAt: "",
      }),
    );
    expect(error.status).toBe(422);
    expect(error.fields).toEqual({ expiresAt: "is required for a just-in-time grant" });

    const grant = await executeMutation(createGrant, owner.actor, {
      identityId: identity.id,
      systemId: internalRepo.id,
      permission: "WRITE",
      mode: "JUST_IN_TIME",
      expiresAt: inDays(1),
    });
    expect(grant.mode).toBe("JUST_IN_TIME");
  });

  it("recomputes risk: deploy on a restricted production system is critical, and revoking it lowers it again", async () => {
    const identity = await registerAsOwner();
    expect(identity.riskTier).toBe("LOW");
    const grant = await executeMutation(createGrant, owner.actor, {
      identityId: identity.id,
      systemId: restrictedProd.id,
      permission: "DEPLOY",
    });
    const rated = await prisma.aiIdentity.findUniqueOrThrow({ where: { id: identity.id } });
    expect(rated.riskTier).toBe("CRITICAL");
    expect(rated.riskReasons).toEqual(["deploy on k8s-prod (production, restricted)"]);
    // The grant also opens a re-review (lib/reviews/change.ts), audited after it.
    expect(await latestEvent("grant.created")).toMatchObject({
      targetId: identity.id,
      data: expect.objectContaining({ permission: "DEPLOY", system: "k8s-prod", riskTier: "CRITICAL" }),
    });

    await executeMutation(revokeGrant, owner.actor, { grantId: grant.id });
    expect((await prisma.aiIdentity.findUniqueOrThrow({ where: { id: identity.id } })).riskTier).toBe("LOW");
    expect(await latestEvent()).toMatchObject({ action: "grant.revoked", data: expect.objectContaining({ riskTier: "LOW" }) });
  });

  it("lets only the owner, backup owner, security leads and admins change access", async () => {
    const identity = await registerAsOwner();
    const before = await inventoryCounts();
    const error = await refused(() =>
      executeMutation(createGrant, colleague.actor, { identityId: identity.id, systemId: internalRepo.id, permission: "READ" }),
    );
    expect(error.status).toBe(403);
    expect(await inventoryCounts()).toEqual(before);
    await executeMutation(createGrant, lead.actor, { identityId: identity.id, systemId: internalRepo.id, permission: "READ" });
  });
});

describe("credentials", () => {
  it("refuses a secret-looking fingerprint or label with the field named, storing and auditing nothing", async () => {
    const identity = await registerAsOwner();
    const before = await inventoryCounts();
    for (const field of ["fingerprint", "label"]) {
      const input = {
        identityId: identity.id,
        type: "PAT",
        label: "release PAT",
        fingerprint: "SHA256:abc123",
        issuedAt: inDays(-1),
        [field]: GITHUB_TOKEN_SHAPED,
      };
      const error = await refused(() => executeMutation(createCredential, owner.actor, input));
      expect(error.status).toBe(422);
      expect(Object.keys(error.fields ?? {})).toEqual([field]);
      expect(error.fields?.[field]).toMatch(/^looks like a GitHub token/);
      expect(JSON.stringify({ message: error.message, fields: error.fields })).not.toContain(GITHUB_TOKEN_SHAPED);
    }
    expect(await inventoryCounts()).toEqual(before);
    const everything = JSON.stringify(await prisma.auditEvent.findMany({ select: { data: true } }));
    expect(everything).not.toContain(GITHUB_TOKEN_SHAPED);
  });

  it("records metadata and raises risk for a long-lived credential", async () => {
    const identity = await registerAsOwner();
    const credential = await executeMutation(createCredential, owner.actor, {
      identityId: identity.id,
      type: "API_KEY",
      label: "deploy key",
      fingerprint: "SHA256:0f1e2d3c",
      issuedAt: inDays(-3),
      rotationPeriodDays: "90",
      vaultPath: "secret/agents/deploy",
    });
    expect(credential).toMatchObject({ status: "ACTIVE", rotationPeriodDays: 90, vaultPath: "secret/agents/deploy" });
    expect(credential.lastRotatedAt).toEqual(credential.issuedAt);
    const rated = await prisma.aiIdentity.findUniqueOrThrow({ where: { id: identity.id } });
    expect(rated.riskTier).toBe("MEDIUM");
    expect(rated.riskReasons).toEqual(["long-lived API key 3 days old, no expiry"]);
    expect(await latestEvent()).toMatchObject({
      action: "credential.created",
      targetId: identity.id,
      data: expect.objectContaining({ label: "deploy key", fingerprint: "SHA256:0f1e2d3c" }),
    });
  });

  it("rotates only to a new fingerprint, and revokes once", async () => {
    const identity = await registerAsOwner();
    const credential = await executeMutation(createCredential, owner.actor, {
      identityId: identity.id,
      type: "PAT",
      label: "release PAT",
      fingerprint: "SHA256:aaaa",
      issuedAt: inDays(-100),
      expiresAt: inDays(30),
    });
    const same = await refused(() =>
      executeMutation(rotateCredential, owner.actor, { credentialId: credential.id, fingerprint: "SHA256:aaaa" }),
    );
    expect(same.status).toBe(422);
    expect(same.fields).toEqual({ fingerprint: "must differ from the current fingerprint" });
    const secret = await refused(() =>
      executeMutation(rotateCredential, owner.actor, { credentialId: credential.id, fingerprint: GITHUB_TOKEN_SHAPED }),
    );
    expect(Object.keys(secret.fields ?? {})).toEqual(["fingerprint"]);

    const rotated = await executeMutation(rotateCredential, owner.actor, {
      credentialId: credential.id,
      fingerprint: "SHA256:bbbb",
      expiresAt: inDays(60),
    });
    expect(rotated.fingerprint).toBe("SHA256:bbbb");
    expect(rotated.lastRotatedAt!.getTime()).toBeGreaterThan(Date.now() - 60_000);
    expect(await latestEvent()).toMatchObject({
      action: "credential.rotated",
      data: expect.objectContaining({ from: "SHA256:aaaa", to: "SHA256:bbbb" }),
    });

    const revoked = await executeMutation(revokeCredential, owner.actor, { credentialId: credential.id });
    expect(revoked.status).toBe("REVOKED");
    expect(revoked.revokedAt).not.toBeNull();
    expect((await latestEvent()).action).toBe("credential.revoked");
    expect((await refused(() => executeMutation(revokeCredential, owner.actor, { credentialId: credential.id }))).status).toBe(409);
    expect(
      (await refused(() => executeMutation(rotateCredential, owner.actor, { credentialId: credential.id, fingerprint: "SHA256:cccc" })))
        .status,
    ).toBe(409);
  });
});

describe("two people acting on the same row at the same moment", () => {
  /** Runs the same change twice at once: exactly one must win, the other gets a 409, and one audit event is written. */
  async function raceTwice(run: () => Promise<unknown>, action: string, identityId: string) {
    const results = await Promise.allSettled([run(), run()]);
    expect(results.filter((result) => result.status === "fulfilled")).toHaveLength(1);
    const rejected = results.filter((result): result is PromiseRejectedResult => result.status === "rejected");
    expect(rejected.map((result) => (result.reason as { status?: number }).status)).toEqual([409]);
    expect(await prisma.auditEvent.count({ where: { action, targetId: identityId } })).toBe(1);
  }

  async function credentialFor(identityId: string) {
    return executeMutation(createCredential, owner.actor, {
      identityId,
      type: "PAT",
      label: "race PAT",
      fingerprint: "SHA256:race1",
      issuedAt: inDays(-1),
      expiresAt: inDays(30),
    });
  }

  it("revokes a credential once", async () => {
    const identity = await registerAsOwner();
    const credential = await credentialFor(identity.id);
    await raceTwice(
      () => executeMutation(revokeCredential, owner.actor, { credentialId: credential.id }),
      "credential.revoked",
      identity.id,
    );
  });

  it("revokes a grant once", async () => {
    const identity = await registerAsOwner();
    const grant = await executeMutation(createGrant, owner.actor, {
      identityId: identity.id,
      systemId: internalRepo.id,
      permission: "READ",
    });
    await raceTwice(() => executeMutation(revokeGrant, owner.actor, { grantId: grant.id }), "grant.revoked", identity.id);
  });

  it("does not rotate a credential that a concurrent revoke has just ended", async () => {
    const identity = await registerAsOwner();
    const credential = await credentialFor(identity.id);
    const results = await Promise.allSettled([
      executeMutation(revokeCredential, owner.actor, { credentialId: credential.id }),
      executeMutation(rotateCredential, owner.actor, { credentialId: credential.id, fingerprint: "SHA256:race2" }),
    ]);
    const stored = await prisma.credential.findUniqueOrThrow({ where: { id: credential.id } });
    expect(stored.status).toBe("REVOKED");
    // Either the rotation ran first (and the revoke after it), or it saw the revoke and was refused.
    if (results[1].status === "rejected") expect((results[1].reason as { status?: number }).status).toBe(409);
    const events = await prisma.auditEvent.findMany({
      where: { targetId: identity.id, action: { in: ["credential.rotated", "credential.revoked"] } },
      orderBy: { seq: "asc" },
    });
    expect(events.at(-1)?.action).toBe("credential.revoked");
  });
});

describe("suspend, reactivate and retire", () => {
  it("suspends with a reason; only security leads and admins reactivate", async () => {
    const identity = await registerAsOwner();
    await executeMutation(suspendIdentity, owner.actor, { identityId: identity.id, reason: "investigating odd pushes" });
    expect((await prisma.aiIdentity.findUniqueOrThrow({ where: { id: identity.id } })).status).toBe("SUSPENDED");
    expect(await latestEvent()).toMatchObject({
      action: "identity.suspended",
      data: { from: "ACTIVE", to: "SUSPENDED", reason: "investigating odd pushes" },
    });

    const ownerTries = await refused(() => executeMutation(reactivateIdentity, owner.actor, { identityId: identity.id }));
    expect(ownerTries.status).toBe(403);
    await executeMutation(reactivateIdentity, lead.actor, { identityId: identity.id, reason: "cleared" });
    expect((await prisma.aiIdentity.findUniqueOrThrow({ where: { id: identity.id } })).status).toBe("ACTIVE");
    expect((await latestEvent()).action).toBe("identity.active");
  });

  it("retires: every grant and credential is revoked, nothing is deleted, and it cannot be given access again", async () => {
    const identity = await registerAsOwner();
    await executeMutation(createGrant, owner.actor, { identityId: identity.id, systemId: restrictedProd.id, permission: "DEPLOY" });
    await executeMutation(createGrant, owner.actor, { identityId: identity.id, systemId: internalRepo.id, permission: "READ" });
    await executeMutation(createCredential, owner.actor, {
      identityId: identity.id,
      type: "SSH_KEY",
      label: "deploy key",
      fingerprint: "SHA256:dddd",
      issuedAt: inDays(-1),
    });

    await executeMutation(retireIdentity, owner.actor, { identityId: identity.id, reason: "replaced by a JIT flow" });
    const retired = await prisma.aiIdentity.findUniqueOrThrow({ where: { id: identity.id }, include: { grants: true, credentials: true } });
    expect(retired.status).toBe("RETIRED");
    expect(retired.grants).toHaveLength(2);
    expect(retired.grants.every((grant) => grant.revokedAt !== null)).toBe(true);
    expect(retired.credentials).toHaveLength(1);
    expect(retired.credentials[0]).toMatchObject({ status: "REVOKED" });
    expect(retired.riskTier).toBe("LOW");
    expect(await latestEvent()).toMatchObject({
      action: "identity.retired",
      data: { from: "ACTIVE", to: "RETIRED", reason: "replaced by a JIT flow" },
    });

    expect((await refused(() => executeMutation(retireIdentity, owner.actor, { identityId: identity.id }))).status).toBe(409);
    expect(
      (
        await refused(() =>
          executeMutation(createGrant, owner.actor, { identityId: identity.id, systemId: internalRepo.id, permission: "WRITE" }),
        )
      ).status,
    ).toBe(409);
    // There is no way to delete an identity, a grant or a credential at all.
    expect(
      allMutations
        .map((mutation) => mutation.name)
        .filter((name) => /^(identities|grants|credentials)\..*(delete|destroy|remove)/i.test(name)),
    ).toEqual([]);
  });
});

describe("editing and reassigning", () => {
  it("reassigning the owner clears the orphan flag and records who owned it before", async () => {
    const departing = await createTestUser([], { email: "departing@example.com" });
    const identity = await executeMutation(createIdentity, departing.actor, registration({ ownerId: departing.user.id }));
    await executeMutation(deactivateUser, systemActor, { userId: departing.user.id });
    expect((await prisma.aiIdentity.findUniqueOrThrow({ where: { id: identity.id } })).orphanedAt).not.toBeNull();

    const gone = await createTestUser([], { email: "gone@example.com", active: false });
    const toDeactivated = await refused(() =>
      executeMutation(updateIdentity, lead.actor, { identityId: identity.id, ownerId: gone.user.id }),
    );
    expect(toDeactivated.status).toBe(422);
    expect(toDeactivated.fields).toEqual({ ownerId: "must be an active user" });

    await executeMutation(updateIdentity, lead.actor, { identityId: identity.id, ownerId: colleague.user.id });
    const reassigned = await prisma.aiIdentity.findUniqueOrThrow({ where: { id: identity.id } });
    expect(reassigned).toMatchObject({ ownerId: colleague.user.id, orphanedAt: null });
    expect(await latestEvent("identity.owner_reassigned")).toMatchObject({
      targetId: identity.id,
      data: expect.objectContaining({ previousOwnerId: departing.user.id, changed: { ownerId: colleague.user.id } }),
    });
  });

  it("refuses a backup owner who is the owner, naming the field", async () => {
    const identity = await registerAsOwner();
    const error = await refused(() =>
      executeMutation(updateIdentity, owner.actor, { identityId: identity.id, backupOwnerId: owner.user.id }),
    );
    expect(error.status).toBe(422);
    expect(error.fields).toEqual({ backupOwnerId: "must be someone other than the owner" });
  });

  it("leaves fields that an edit does not mention alone (autonomy, review cadence and the next review date)", async () => {
    const identity = await registerAsOwner({ autonomy: "EXECUTE", reviewCadenceDays: "30" });
    const before = await prisma.aiIdentity.findUniqueOrThrow({ where: { id: identity.id } });
    // Vendor, not model: a new model opens a re-review, which moves the next review date (lib/reviews/change.ts).
    await executeMutation(updateIdentity, owner.actor, { identityId: identity.id, vendor: "Anthropic" });
    const after = await prisma.aiIdentity.findUniqueOrThrow({ where: { id: identity.id } });
    expect(after).toMatchObject({ vendor: "Anthropic", autonomy: "EXECUTE", reviewCadenceDays: 30, nextReviewAt: before.nextReviewAt });
  });

  it("records only what changed", async () => {
    const identity = await registerAsOwner({ model: "gpt-5" });
    await executeMutation(updateIdentity, owner.actor, {
      identityId: identity.id,
      model: "claude-opus",
      purpose: "Prepares release branches",
    });
    expect(await latestEvent("identity.updated")).toMatchObject({
      targetId: identity.id,
      data: expect.objectContaining({ changed: { model: "claude-opus" }, previous: { model: "gpt-5" } }),
    });
  });
});
