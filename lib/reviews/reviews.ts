import type { z } from "zod";
import { can, type Actor } from "@/lib/auth/actor";
import { defineMutation } from "@/lib/auth/mutation";
import type { AuditEntry } from "@/lib/audit/record";
import type { DbOrTx, Tx } from "@/lib/db/client";
import type { ReviewTrigger } from "@/lib/db/generated/enums";
import { AppError, forbidden, notFound } from "@/lib/errors";
import { actorUserId, assertMayManageIdentity, lockIdentity } from "@/lib/inventory/access";
import { applyGrantRevoke } from "@/lib/inventory/grants";
import { applyIdentityTransition } from "@/lib/inventory/identities";
import { LIVE_STATUSES } from "@/lib/inventory/lifecycle";
import { recomputeRisk } from "@/lib/inventory/recompute-risk";
import { DAY_MS } from "@/lib/time";
import { attestReviewInput, DEFAULT_REVIEW_WINDOW_DAYS, openReviewInput, type AttestReviewInput } from "@/lib/validation/reviews";

// A review asks an identity's owner to attest that it is still needed, its
// purpose unchanged, its access minimal and its credentials rotated, and to
// decide: keep, reduce (end named grants) or retire. One review at a time is
// open per identity; opening one pulls the identity's next review date
// forward to its due date, so "review overdue" (the inventory filter, the
// dashboard and the risk rule) keeps reading one field.

export interface ReviewOpening {
  identityId: string;
  trigger: ReviewTrigger;
  dueAt?: Date;
  reason?: string;
}

/**
 * Opens a review inside the caller's transaction and returns it with its
 * audit entry, or `review: null` when the identity already has an open review
 * (opening twice is harmless: bulk actions and the scheduled job rely on it).
 */
export async function applyReviewOpen(tx: Tx, actor: Actor, opening: ReviewOpening, now = new Date()) {
  const identity = await lockIdentity(tx, opening.identityId);
  assertMayManageIdentity(actor, identity, "open a review of this identity");
  if (!LIVE_STATUSES.includes(identity.status)) {
    throw new AppError("conflict", `${identity.name} is ${identity.status.toLowerCase()}; only identities in service are reviewed.`);
  }
  const open = await tx.review.findFirst({ where: { identityId: identity.id, status: "OPEN" } });
  if (open) return { identity, review: null, existing: open, audit: null };

  const dueAt = opening.dueAt ?? new Date(now.getTime() + DEFAULT_REVIEW_WINDOW_DAYS * DAY_MS);
  const review = await tx.review.create({
    data: {
      identityId: identity.id,
      trigger: opening.trigger,
      reason: opening.reason,
      openedById: actorUserId(actor) ?? null,
      openedAt: now,
      dueAt,
    },
  });
  if (dueAt < identity.nextReviewAt) {
    await tx.aiIdentity.update({ where: { id: identity.id }, data: { nextReviewAt: dueAt } });
    await recomputeRisk(tx, identity.id, now);
  }
  const audit: AuditEntry = {
    action: "review.opened",
    targetType: "identity",
    targetId: identity.id,
    data: { reviewId: review.id, trigger: opening.trigger, dueAt: dueAt.toISOString(), reason: opening.reason },
  };
  return { identity, review, existing: null, audit };
}

/** Opens a review of one identity; 409 when one is already open. */
export const openReview = defineMutation({
  name: "reviews.open",
  description: "open reviews",
  permission: "inventory:write",
  input: openReviewInput,
  async run({ tx, actor, audit }, input: z.output<typeof openReviewInput>) {
    const result = await applyReviewOpen(tx, actor, { ...input, trigger: "MANUAL" });
    if (!result.review) {
      throw new AppError(
        "conflict",
        `${result.identity.name} already has an open review, due ${result.existing.dueAt.toISOString().slice(0, 10)}.`,
      );
    }
    await audit(result.audit);
    return result.review;
  },
});

/** What deciding who attests needs to know of an identity. */
export interface AttestableIdentity {
  ownerId: string;
  backupOwnerId: string | null;
  orphanedAt: Date | null;
  /** Whether the backup owner (if any) is an active person. */
  backupOwnerActive: boolean;
}

/**
 * An orphaned identity (its owner was deactivated) with no active backup
 * owner has nobody accountable left: its reviews go to the security leads
 * until someone is made its owner. Admins manage people, not the inventory's
 * attestations, so they are not asked.
 */
export function leadsAttestFor(identity: AttestableIdentity): boolean {
  return identity.orphanedAt !== null && !(identity.backupOwnerId && identity.backupOwnerActive);
}

/**
 * The people accountable for the identity attest: its owner and backup owner,
 * or, for an orphan with no active backup owner, the security leads (see
 * leadsAttestFor). Otherwise security leads cannot attest for the owners; they
 * reassign the owner.
 */
export function mayAttestReview(actor: Actor, identity: AttestableIdentity): boolean {
  const userId = actorUserId(actor);
  if (!can(actor, "inventory:write") || userId === undefined || actor.kind === "system") return false;
  if (identity.ownerId === userId || identity.backupOwnerId === userId) return true;
  return leadsAttestFor(identity) && attestsForOrphans(actor);
}

/** Whether this person attests the reviews of orphans with no active backup owner: a security lead who may change things. */
export function attestsForOrphans(actor: Actor): boolean {
  return actor.kind !== "system" && can(actor, "inventory:write") && actor.roles.includes("SECURITY_LEAD");
}

/** The identity page's and attestReview's view of an identity, with its backup owner's standing. */
export async function attestableIdentity<T extends { backupOwnerId: string | null; orphanedAt: Date | null; ownerId: string }>(
  db: DbOrTx,
  identity: T,
): Promise<T & AttestableIdentity> {
  const backup = identity.backupOwnerId
    ? await db.user.findUnique({ where: { id: identity.backupOwnerId }, select: { active: true } })
    : null;
  return { ...identity, backupOwnerActive: backup?.active ?? false };
}

function assertMayAttest(actor: Actor, identity: AttestableIdentity & { name: string }) {
  if (mayAttestReview(actor, identity)) return;
  throw forbidden(
    leadsAttestFor(identity)
      ? `attest the review of ${identity.name}: it is orphaned with no backup owner, so only security leads may`
      : `attest the review of ${identity.name}: only its owner or backup owner may (reassign the owner if they have left)`,
  );
}

async function applyOutcome(
  tx: Tx,
  actor: Actor,
  input: AttestReviewInput,
  { id: identityId, reviewCadenceDays }: { id: string; reviewCadenceDays: number },
  now: Date,
): Promise<AuditEntry[]> {
  if (input.outcome === "RETIRE") {
    const retired = await applyIdentityTransition(tx, actor, "retire", {
      identityId,
      reason: `Review outcome: retire. ${input.comment ?? ""}`.trim(),
    });
    return [retired.audit];
  }
  const entries: AuditEntry[] = [];
  if (input.outcome === "REDUCE") {
    for (const grantId of input.grantIds) entries.push((await applyGrantRevoke(tx, actor, grantId, identityId)).audit);
  }
  // Kept (or reduced) identities come back for review one cadence from now.
  await tx.aiIdentity.update({ where: { id: identityId }, data: { nextReviewAt: new Date(now.getTime() + reviewCadenceDays * DAY_MS) } });
  await recomputeRisk(tx, identityId, now);
  return entries;
}

/**
 * Records the owner's attestation and carries out its outcome in the same
 * transaction: keep sets the next review date, reduce ends the named grants,
 * retire retires the identity (its grants and credentials end).
 */
export const attestReview = defineMutation({
  name: "reviews.attest",
  description: "attest reviews",
  permission: "inventory:write",
  input: attestReviewInput,
  async run({ tx, actor, audit }, input) {
    const found = await tx.review.findUnique({ where: { id: input.reviewId } });
    if (!found) throw notFound("That review");
    const identity = await lockIdentity(tx, found.identityId);
    // Re-read under the identity's lock: a concurrent attestation may have closed it meanwhile.
    const review = await tx.review.findUniqueOrThrow({ where: { id: input.reviewId } });
    assertMayAttest(actor, await attestableIdentity(tx, identity));
    if (review.status !== "OPEN")
      throw new AppError("conflict", `This review of ${identity.name} is already ${review.status.toLowerCase()}.`);

    const now = new Date();
    const attested = await tx.review.update({
      where: { id: review.id },
      data: {
        status: "COMPLETED",
        stillNeeded: input.stillNeeded,
        purposeUnchanged: input.purposeUnchanged,
        permissionsMinimal: input.permissionsMinimal,
        credentialsRotated: input.credentialsRotated,
        outcome: input.outcome,
        comment: input.comment,
        attestedById: actorUserId(actor) ?? null,
        closedAt: now,
      },
    });
    const outcomeEntries = await applyOutcome(tx, actor, input, identity, now);
    await audit({
      action: "review.attested",
      targetType: "identity",
      targetId: identity.id,
      data: {
        reviewId: review.id,
        outcome: input.outcome,
        stillNeeded: input.stillNeeded,
        purposeUnchanged: input.purposeUnchanged,
        permissionsMinimal: input.permissionsMinimal,
        credentialsRotated: input.credentialsRotated,
        comment: input.comment,
        grantIds: input.grantIds.length > 0 ? input.grantIds : undefined,
      },
    });
    // The consequences are recorded as the same events the single actions write.
    for (const entry of outcomeEntries) await audit(entry);
    return { ...attested, identityName: identity.name };
  },
});
