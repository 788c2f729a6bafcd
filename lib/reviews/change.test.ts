import { beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "@/lib/auth/actor";
import { executeMutation } from "@/lib/auth/mutation";
import { prisma } from "@/lib/db/client";
import { bulkUpdateIdentities } from "@/lib/inventory/bulk";
import { createCredential, revokeCredential, rotateCredential } from "@/lib/inventory/credentials";
import { createGrant, revokeGrant } from "@/lib/inventory/grants";
import { createIdentity, retireIdentity, updateIdentity } from "@/lib/inventory/identities";
import { recomputeAllRisk } from "@/lib/inventory/recompute-risk";
import { createSystem } from "@/lib/inventory/systems";
import { updateLifecycleSettings, DEFAULT_LIFECYCLE_SETTINGS } from "@/lib/lifecycle/settings";
import { deactivateUser } from "@/lib/users/mutations";
import { createTestUser, refused, switchOffApprovals, systemActor } from "@/lib/testing/factories";
import { DAY_MS } from "@/lib/time";
import { handedOverAt } from "./change";
import { changesSinceLastAttestation, findReviewWithChanges } from "./changes-since";
import { findReviewTasks, orphanReviewsForLeadsSql } from "./queries";
import { attestReview, openReview } from "./reviews";

// Re-review on change, against a real database through executeMutation, as
// the forms, the API, bulk actions and imports call it.

const inDays = (days: number) => new Date(Date.now() + days * DAY_MS);

type Person = { user: { id: string; email: string; name: string | null }; actor: Actor };
let owner: Person;
let newOwner: Person;
let backup: Person;
let colleague: Person;
let lead: Person;
let repoId: string;
let counter = 0;

async function register(overrides: Record<string, unknown> = {}) {
  counter += 1;
  return executeMutation(createIdentity, lead.actor, {
    name: `changed-agent-${counter}`,
    kind: "CODING_AGENT",
    purpose: "Opens dependency update pull requests",
    environment: "DEV",
    model: "claude-sonnet-4",
    ownerId: owner.user.id,
    expiresAt: inDays(200).toISOString(),
    reviewCadenceDays: 90,
    ...overrides,
  });
}

/** A credential that no hygiene rule minds: short-lived, recently used, within its rotation period. */
async function freshCredential(identityId: string, label = "key") {
  return executeMutation(createCredential, lead.actor, {
    identityId,
    type: "API_KEY",
    label,
    fingerprint: `fp-${label}-${identityId}`,
    issuedAt: inDays(-1).toISOString(),
    expiresAt: inDays(30).toISOString(),
  });
}

const openReviewOf = (identityId: string) => prisma.review.findFirst({ where: { identityId, status: "OPEN" } });
const eventsOf = (identityId: string, action: string) =>
  prisma.auditEvent.findMany({ where: { targetId: identityId, action }, orderBy: { seq: "asc" } });

const attestation = (reviewId: string, overrides: Record<string, unknown> = {}) => ({
  reviewId,
  stillNeeded: "yes",
  purposeUnchanged: "yes",
  permissionsMinimal: "yes",
  credentialsRotated: "yes",
  outcome: "KEEP",
  ...overrides,
});

beforeAll(async () => {
  await switchOffApprovals();
  owner = await createTestUser([]);
  newOwner = await createTestUser([]);
  backup = await createTestUser([]);
  colleague = await createTestUser([]);
  lead = await createTestUser(["SECURITY_LEAD"]);
  repoId = (
    await executeMutation(createSystem, lead.actor, {
      name: "change-repo",
      kind: "REPOSITORY",
      environment: "DEV",
      sensitivity: "INTERNAL",
    })
  ).id;
});

describe("a change opens a review", () => {
  const cases: [string, Record<string, unknown>, { field: string; from: string; to: string }, string][] = [
    [
      "model",
      { model: "claude-opus-4" },
      { field: "model", from: "claude-sonnet-4", to: "claude-opus-4" },
      "model changed from claude-sonnet-4 to claude-opus-4",
    ],
    ["autonomy", { autonomy: "DRAFT" }, { field: "autonomy", from: "SUGGEST", to: "DRAFT" }, "autonomy changed from suggest to draft"],
    [
      "purpose",
      { purpose: "Writes release notes" },
      { field: "purpose", from: "Opens dependency update pull requests", to: "Writes release notes" },
      "purpose changed",
    ],
  ];
  for (const [name, edit, change, reason] of cases) {
    it(`for a new ${name}: due in the change window, in the same transaction as the change, with what changed`, async () => {
      const identity = await register();
      const before = Date.now();
      await executeMutation(updateIdentity, owner.actor, { identityId: identity.id, ...edit });
      const review = await openReviewOf(identity.id);
      expect(review).toMatchObject({ trigger: "CHANGE", openedById: owner.user.id, reason: `Re-review after a change: ${reason}` });
      expect(review!.changes).toEqual([{ at: expect.any(String), ...change, byLabel: owner.user.email }]);
      // Due changeReviewDays (7 by default) from the change.
      const due = review!.dueAt.getTime();
      expect(due).toBeGreaterThanOrEqual(before + DEFAULT_LIFECYCLE_SETTINGS.changeReviewDays * DAY_MS);
      expect(due).toBeLessThanOrEqual(Date.now() + DEFAULT_LIFECYCLE_SETTINGS.changeReviewDays * DAY_MS);
      // "Review overdue" reads the next review date, which moved forward with it.
      expect((await prisma.aiIdentity.findUniqueOrThrow({ where: { id: identity.id } })).nextReviewAt).toEqual(review!.dueAt);
      const [updated] = await eventsOf(identity.id, "identity.updated");
      const [opened] = await eventsOf(identity.id, "review.opened");
      expect(opened!.data).toMatchObject({ reviewId: review!.id, trigger: "CHANGE", changes: review!.changes });
      // The same transaction writes the change and the review: their events are consecutive.
      expect(opened!.seq).toBe(updated!.seq + 1n);
    });
  }

  it("for a new owner: records the handover from the previous owner, for the new owner to attest", async () => {
    const identity = await register();
    await executeMutation(updateIdentity, lead.actor, { identityId: identity.id, ownerId: newOwner.user.id });
    const review = await openReviewOf(identity.id);
    expect(review).toMatchObject({ trigger: "CHANGE", handoverFromId: owner.user.id, reason: "Re-review after a change: owner changed" });
    expect(review!.changes).toEqual([
      { at: expect.any(String), field: "owner", from: owner.user.name, to: newOwner.user.name, byLabel: lead.user.email },
    ]);
    const found = await findReviewWithChanges(prisma, review!.id);
    expect(found.handoverFrom).toMatchObject({ id: owner.user.id, email: owner.user.email });
    expect(handedOverAt(review!).toISOString()).toBe((review!.changes as { at: string }[])[0]!.at);
    // The new owner attests; the previous owner no longer may.
    expect((await refused(() => executeMutation(attestReview, owner.actor, attestation(review!.id)))).code).toBe("forbidden");
    await executeMutation(attestReview, newOwner.actor, attestation(review!.id));
    expect(await openReviewOf(identity.id)).toBeNull();
  });

  it("not for a new name, team, vendor, expiry or cadence", async () => {
    const identity = await register();
    const team = await prisma.team.create({ data: { name: `team-${counter}` } });
    await executeMutation(updateIdentity, owner.actor, {
      identityId: identity.id,
      name: `renamed-${counter}`,
      teamId: team.id,
      vendor: "Anthropic",
      expiresAt: inDays(100).toISOString(),
      reviewCadenceDays: 60,
    });
    // Re-sending the current model is no change either.
    await executeMutation(updateIdentity, owner.actor, { identityId: identity.id, model: "claude-sonnet-4" });
    expect(await prisma.review.count({ where: { identityId: identity.id } })).toBe(0);
    expect(await eventsOf(identity.id, "review.opened")).toEqual([]);
  });

  it("not for an identity out of service", async () => {
    const identity = await register();
    await executeMutation(retireIdentity, owner.actor, { identityId: identity.id });
    await executeMutation(updateIdentity, lead.actor, { identityId: identity.id, model: "claude-opus-4" });
    expect(await prisma.review.count({ where: { identityId: identity.id } })).toBe(0);
  });

  it("for a grant of write, deploy or admin; not for read", async () => {
    const identity = await register();
    await executeMutation(createGrant, owner.actor, { identityId: identity.id, systemId: repoId, permission: "READ" });
    expect(await openReviewOf(identity.id)).toBeNull();
    for (const permission of ["WRITE", "DEPLOY", "ADMIN"] as const) {
      await executeMutation(createGrant, owner.actor, { identityId: identity.id, systemId: repoId, permission });
    }
    const review = await openReviewOf(identity.id);
    expect(review?.trigger).toBe("CHANGE");
    expect((review!.changes as { field: string; to: string }[]).map((change) => [change.field, change.to])).toEqual([
      ["grant", "write on change-repo (dev)"],
      ["grant", "deploy on change-repo (dev)"],
      ["grant", "admin on change-repo (dev)"],
    ]);
    expect(await prisma.review.count({ where: { identityId: identity.id } })).toBe(1);
    expect((await eventsOf(identity.id, "review.change_added")).length).toBe(2);
  });

  it("through the bulk owner assignment too, all or nothing", async () => {
    const [one, two] = [await register(), await register()];
    await executeMutation(bulkUpdateIdentities, lead.actor, {
      action: "assign_owner",
      identityIds: [one.id, two.id],
      ownerId: newOwner.user.id,
    });
    for (const identity of [one, two])
      expect(await openReviewOf(identity.id)).toMatchObject({ trigger: "CHANGE", handoverFromId: owner.user.id });
  });

  it("opens nothing and flags nothing when the change itself is refused", async () => {
    const identity = await register({ backupOwnerId: backup.user.id });
    const key = await freshCredential(identity.id);
    const eventsBefore = await prisma.auditEvent.count();
    // A valid new model with an invalid backup owner: the whole edit is refused.
    const refusal = await refused(() =>
      executeMutation(updateIdentity, owner.actor, { identityId: identity.id, model: "claude-opus-4", backupOwnerId: owner.user.id }),
    );
    expect(refusal.fields).toEqual({ backupOwnerId: "must be someone other than the owner" });
    // A write grant on a system that does not exist.
    const grantRefusal = await refused(() =>
      executeMutation(createGrant, owner.actor, { identityId: identity.id, systemId: "no-such-system", permission: "WRITE" }),
    );
    expect(grantRefusal.fields).toEqual({ systemId: "must be an existing system" });
    expect(await prisma.review.count({ where: { identityId: identity.id } })).toBe(0);
    expect(await prisma.credential.findUniqueOrThrow({ where: { id: key.id } })).toMatchObject({ rotationRequiredAt: null });
    expect((await prisma.aiIdentity.findUniqueOrThrow({ where: { id: identity.id } })).model).toBe("claude-sonnet-4");
    expect(await prisma.auditEvent.count()).toBe(eventsBefore);
  });
});

describe("a second change", () => {
  it("joins the open review and pulls its due date forward to the change window", async () => {
    const identity = await register();
    const manual = await executeMutation(openReview, lead.actor, {
      identityId: identity.id,
      dueAt: inDays(30).toISOString(),
      reason: "quarterly",
    });
    await executeMutation(updateIdentity, owner.actor, { identityId: identity.id, model: "claude-opus-4" });
    const joined = (await openReviewOf(identity.id))!;
    expect(joined).toMatchObject({ id: manual.id, trigger: "MANUAL", reason: "quarterly" });
    expect(joined.dueAt.getTime()).toBeLessThan(inDays(8).getTime());
    expect(joined.changes).toEqual([expect.objectContaining({ field: "model", to: "claude-opus-4" })]);
    expect((await prisma.aiIdentity.findUniqueOrThrow({ where: { id: identity.id } })).nextReviewAt).toEqual(joined.dueAt);
    const [added] = await eventsOf(identity.id, "review.change_added");
    expect(added!.data).toMatchObject({
      reviewId: manual.id,
      dueAt: joined.dueAt.toISOString(),
      previousDueAt: manual.dueAt.toISOString(),
    });

    // A later change keeps the earlier, sooner due date: never pushed back.
    await executeMutation(updateIdentity, owner.actor, { identityId: identity.id, autonomy: "DRAFT" });
    const again = (await openReviewOf(identity.id))!;
    expect(again.dueAt).toEqual(joined.dueAt);
    expect((again.changes as { field: string }[]).map((change) => change.field)).toEqual(["model", "autonomy"]);
    expect((await eventsOf(identity.id, "review.change_added"))[1]!.data).not.toHaveProperty("previousDueAt");
  });

  it("never pushes back an open review due sooner than the window", async () => {
    const identity = await register();
    const manual = await executeMutation(openReview, lead.actor, { identityId: identity.id, dueAt: inDays(2).toISOString() });
    await executeMutation(createGrant, owner.actor, { identityId: identity.id, systemId: repoId, permission: "WRITE" });
    expect((await openReviewOf(identity.id))!.dueAt).toEqual(manual.dueAt);
  });

  it("uses the change window security leads set", async () => {
    await executeMutation(updateLifecycleSettings, lead.actor, { ...DEFAULT_LIFECYCLE_SETTINGS, changeReviewDays: 3 });
    try {
      const identity = await register();
      await executeMutation(updateIdentity, owner.actor, { identityId: identity.id, purpose: "Something new" });
      const due = (await openReviewOf(identity.id))!.dueAt.getTime();
      expect(due).toBeLessThanOrEqual(inDays(3).getTime());
      expect(due).toBeGreaterThan(inDays(2.9).getTime());
    } finally {
      await executeMutation(updateLifecycleSettings, lead.actor, DEFAULT_LIFECYCLE_SETTINGS);
    }
  });
});

describe("credentials flagged for rotation", () => {
  it("are flagged with the reason, counted by the risk rule, and cleared by rotating or revoking", async () => {
    const identity = await register();
    const key = await freshCredential(identity.id, "key");
    const token = await freshCredential(identity.id, "token");
    const rated = () => prisma.aiIdentity.findUniqueOrThrow({ where: { id: identity.id }, select: { riskTier: true, riskReasons: true } });
    expect(await rated()).toEqual({ riskTier: "LOW", riskReasons: [] });

    await executeMutation(updateIdentity, owner.actor, { identityId: identity.id, model: "claude-opus-4" });
    const flagged = await prisma.credential.findMany({ where: { identityId: identity.id }, orderBy: { label: "asc" } });
    expect(flagged.map((credential) => [credential.label, credential.rotationRequiredReason])).toEqual([
      ["key", "model changed from claude-sonnet-4 to claude-opus-4"],
      ["token", "model changed from claude-sonnet-4 to claude-opus-4"],
    ]);
    expect(flagged.every((credential) => credential.rotationRequiredAt !== null)).toBe(true);
    // Neglected credentials raise the tier one step, like an overdue rotation.
    expect(await rated()).toEqual({
      riskTier: "MEDIUM",
      riskReasons: ["2 credentials flagged for rotation after a change (model changed from claude-sonnet-4 to claude-opus-4)"],
    });
    // The hourly sweep's batch path reads the flags too: it leaves this rating as it is.
    const single = await rated();
    await recomputeAllRisk(prisma);
    expect(await rated()).toEqual(single);

    // A later change does not overwrite the first reason.
    await executeMutation(updateIdentity, owner.actor, { identityId: identity.id, ownerId: newOwner.user.id });
    expect((await prisma.credential.findUniqueOrThrow({ where: { id: key.id } })).rotationRequiredReason).toBe(
      "model changed from claude-sonnet-4 to claude-opus-4",
    );

    await executeMutation(rotateCredential, newOwner.actor, {
      credentialId: key.id,
      fingerprint: "fp-key-rotated",
      expiresAt: inDays(30).toISOString(),
    });
    expect(await prisma.credential.findUniqueOrThrow({ where: { id: key.id } })).toMatchObject({
      rotationRequiredAt: null,
      rotationRequiredReason: null,
    });
    const [rotated] = await eventsOf(identity.id, "credential.rotated");
    expect(rotated!.data).toMatchObject({ rotationRequested: "model changed from claude-sonnet-4 to claude-opus-4" });
    expect((await rated()).riskReasons).toEqual([
      "1 credential flagged for rotation after a change (model changed from claude-sonnet-4 to claude-opus-4)",
    ]);

    await executeMutation(revokeCredential, newOwner.actor, { credentialId: token.id });
    expect(await prisma.credential.findUniqueOrThrow({ where: { id: token.id } })).toMatchObject({
      status: "REVOKED",
      rotationRequiredAt: null,
    });
    expect(await rated()).toEqual({ riskTier: "LOW", riskReasons: [] });
  });

  it("leaves revoked credentials alone", async () => {
    const identity = await register();
    const old = await freshCredential(identity.id, "old");
    await executeMutation(revokeCredential, owner.actor, { credentialId: old.id });
    await executeMutation(updateIdentity, owner.actor, { identityId: identity.id, autonomy: "DRAFT" });
    expect((await prisma.credential.findUniqueOrThrow({ where: { id: old.id } })).rotationRequiredAt).toBeNull();
    expect((await eventsOf(identity.id, "review.opened"))[0]!.data).not.toHaveProperty("credentialsFlagged");
  });
});

describe("what changed since the last attestation", () => {
  it("lists the changes after the last attestation only, from → to, with who made them", async () => {
    const identity = await register();
    // Before any attestation: everything since registration.
    await executeMutation(updateIdentity, owner.actor, { identityId: identity.id, model: "claude-opus-4" });
    const first = (await openReviewOf(identity.id))!;
    expect(await changesSinceLastAttestation(prisma, identity.id)).toEqual({
      since: null,
      rows: [{ at: expect.any(String), by: owner.user.email, what: "model", from: "claude-sonnet-4", to: "claude-opus-4" }],
      truncated: false,
    });
    const write = await executeMutation(createGrant, owner.actor, { identityId: identity.id, systemId: repoId, permission: "WRITE" });
    await executeMutation(
      attestReview,
      owner.actor,
      attestation(first.id, { permissionsMinimal: "no", outcome: "REDUCE", grantIds: [write.id], comment: "no writes" }),
    );
    // The attestation's own consequence (the grant it ended) is not a change since it.
    const justAttested = await changesSinceLastAttestation(prisma, identity.id);
    expect(justAttested.rows).toEqual([]);
    expect(justAttested.since).not.toBeNull();

    await executeMutation(updateIdentity, lead.actor, { identityId: identity.id, ownerId: newOwner.user.id, vendor: "Anthropic" });
    const key = await freshCredential(identity.id, "after");
    await executeMutation(rotateCredential, newOwner.actor, { credentialId: key.id, fingerprint: "fp-after-2" });
    const read = await executeMutation(createGrant, newOwner.actor, { identityId: identity.id, systemId: repoId, permission: "READ" });
    await executeMutation(revokeGrant, newOwner.actor, { grantId: read.id });

    const since = await changesSinceLastAttestation(prisma, identity.id);
    expect(since.rows.map(({ by, what, from, to }) => ({ by, what, from, to }))).toEqual([
      { by: lead.user.email, what: "vendor", from: null, to: "Anthropic" },
      { by: lead.user.email, what: "owner", from: owner.user.name, to: newOwner.user.name },
      { by: lead.user.email, what: "credential added", from: null, to: "API key “after”" },
      { by: newOwner.user.email, what: "credential rotated", from: key.fingerprint, to: "fp-after-2" },
      { by: newOwner.user.email, what: "grant added", from: null, to: "read on change-repo (standing)" },
      { by: newOwner.user.email, what: "grant revoked", from: "read on change-repo", to: null },
    ]);
    // The API's review shows the same, and an attested review what it saw.
    const open = (await openReviewOf(identity.id))!;
    expect((await findReviewWithChanges(prisma, open.id)).changesSinceLastAttestation).toEqual(since);
    const past = await findReviewWithChanges(prisma, first.id);
    expect(past.changesSinceLastAttestation.rows.map((row) => row.what)).toEqual(["model", "grant added"]);
    expect(past.changesSinceLastAttestation.since).toBeNull();
  });
});

describe("orphans", () => {
  async function orphan(backupOwnerId?: string) {
    const leaving = await createTestUser([]);
    const identity = await register({ ownerId: leaving.user.id, ...(backupOwnerId ? { backupOwnerId } : {}) });
    const review = await executeMutation(openReview, lead.actor, { identityId: identity.id });
    await executeMutation(deactivateUser, systemActor, { userId: leaving.user.id });
    return { identity, review };
  }
  const leadsQueue = async () => (await findReviewTasks(prisma, orphanReviewsForLeadsSql(), 1000)).rows.map((row) => row.id);

  it("with no backup owner: security leads attest, and find the review in their queue; nobody else may", async () => {
    const { identity, review } = await orphan();
    expect(await leadsQueue()).toContain(review.id);
    const [task] = (await findReviewTasks(prisma, orphanReviewsForLeadsSql(), 1000)).rows.filter((row) => row.id === review.id);
    expect(task!.orphanedAt).not.toBeNull();
    const refusal = await refused(() => executeMutation(attestReview, colleague.actor, attestation(review.id)));
    expect(refusal.code).toBe("forbidden");
    expect(refusal.message).toMatch(/orphaned with no backup owner, so only security leads may/);
    await executeMutation(attestReview, lead.actor, attestation(review.id));
    expect(await prisma.review.findUniqueOrThrow({ where: { id: review.id } })).toMatchObject({
      status: "COMPLETED",
      attestedById: lead.user.id,
    });
    expect(await leadsQueue()).not.toContain(review.id);
    expect((await prisma.aiIdentity.findUniqueOrThrow({ where: { id: identity.id } })).orphanedAt).not.toBeNull();
  });

  it("with an active backup owner: the backup owner attests, not the leads", async () => {
    const { review } = await orphan(backup.user.id);
    expect(await leadsQueue()).not.toContain(review.id);
    expect((await refused(() => executeMutation(attestReview, lead.actor, attestation(review.id)))).code).toBe("forbidden");
    await executeMutation(attestReview, backup.actor, attestation(review.id));
  });

  it("with a deactivated backup owner: the leads attest", async () => {
    const gone = await createTestUser([]);
    const { review } = await orphan(gone.user.id);
    await executeMutation(deactivateUser, systemActor, { userId: gone.user.id });
    expect(await leadsQueue()).toContain(review.id);
    await executeMutation(attestReview, lead.actor, attestation(review.id));
  });

  it("not orphaned: a security lead still may not attest for the owner", async () => {
    const identity = await register();
    const review = await executeMutation(openReview, lead.actor, { identityId: identity.id });
    expect(await leadsQueue()).not.toContain(review.id);
    expect((await refused(() => executeMutation(attestReview, lead.actor, attestation(review.id)))).code).toBe("forbidden");
  });
});
