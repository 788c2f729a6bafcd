import { AppError } from "@/lib/errors";
import { applyIdentityTransition, TRANSITIONS } from "@/lib/inventory/identities";
import { defineBatchJob } from "@/lib/jobs/batches";
import { DAY_MS } from "@/lib/time";
import { noticeSuspendedForOverdueReview } from "@/lib/lifecycle/identity-notices";

// An identity whose owner does not attest is suspended once its review is
// REVIEW_GRACE_DAYS overdue: access nobody vouches for stops, and its owner
// and the security leads are told. Until then the overdue review waits in the
// owner's tasks and in the security leads' overdue list. The review stays open; once the owner attests, a security
// lead reactivates the identity. A suspended identity is not suspended again.

export const REVIEW_GRACE_DAYS = 14;

const suspendOverdueIdentitiesJob = defineBatchJob({
  name: "reviews.suspend-overdue",
  description: "suspend identities whose review is overdue",
  findCandidates: (tx, now, limit) =>
    tx.review.findMany({
      where: {
        status: "OPEN",
        dueAt: { lte: new Date(now.getTime() - REVIEW_GRACE_DAYS * DAY_MS) },
        identity: { status: { in: TRANSITIONS.suspend.from } },
      },
      orderBy: [{ dueAt: "asc" }, { id: "asc" }],
      take: limit,
      select: { id: true, identityId: true, dueAt: true },
    }),
  async apply(tx, actor, review, now) {
    const daysOverdue = Math.floor((now.getTime() - review.dueAt.getTime()) / DAY_MS);
    const reason = `Review overdue by ${daysOverdue} days (grace period ${REVIEW_GRACE_DAYS} days); suspended until its owner attests and a security lead reactivates it.`;
    try {
      const { audit } = await applyIdentityTransition(tx, actor, "suspend", { identityId: review.identityId, reason });
      // The owner and the security leads hear of it in the same transaction (lib/lifecycle).
      await noticeSuspendedForOverdueReview(tx, review, REVIEW_GRACE_DAYS, now);
      return audit;
    } catch (error) {
      // Suspended meanwhile, by a person or another worker (refused before anything was written).
      if (error instanceof AppError && error.code === "conflict") return null;
      throw error;
    }
  },
});

/** One batch of identities whose review is past the grace period, suspended in one transaction; Warrant only. */
export const suspendOverdueIdentitiesBatch = suspendOverdueIdentitiesJob.mutation;
/** Suspends every identity whose review is past the grace period; returns how many. */
export const suspendOverdueIdentities = suspendOverdueIdentitiesJob.runAll;
