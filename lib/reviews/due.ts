import { AppError } from "@/lib/errors";
import { LIVE_STATUSES } from "@/lib/inventory/lifecycle";
import { defineBatchJob } from "@/lib/jobs/batches";
import { DAY_MS } from "@/lib/time";
import { applyReviewOpen } from "./reviews";

// Scheduled reviews: every identity in service comes back to its owner on its
// next review date. The review opens REVIEW_NOTICE_DAYS before that date, so
// the owner has time to attest before it is overdue, and is due on the date
// itself. An identity with an open review is skipped, so running it again
// opens nothing twice.

export const REVIEW_NOTICE_DAYS = 14;

const openDueReviewsJob = defineBatchJob({
  name: "reviews.open-due",
  description: "open scheduled reviews",
  findCandidates: (tx, now, limit) =>
    tx.aiIdentity.findMany({
      where: {
        status: { in: LIVE_STATUSES },
        nextReviewAt: { lte: new Date(now.getTime() + REVIEW_NOTICE_DAYS * DAY_MS) },
        reviews: { none: { status: "OPEN" } },
      },
      orderBy: [{ nextReviewAt: "asc" }, { id: "asc" }],
      take: limit,
      select: { id: true, nextReviewAt: true },
    }),
  async apply(tx, actor, identity, now) {
    try {
      const result = await applyReviewOpen(tx, actor, { identityId: identity.id, trigger: "SCHEDULED", dueAt: identity.nextReviewAt }, now);
      return result.audit;
    } catch (error) {
      // Left service since it was picked (refused before anything was written): nothing to review.
      if (error instanceof AppError && error.code === "conflict") return null;
      throw error;
    }
  },
});

/** One batch of scheduled reviews in one transaction; only Warrant's scheduler (a system actor) runs it. */
export const openDueReviewsBatch = openDueReviewsJob.mutation;
/** Opens every review that has come due; returns how many were opened. */
export const openDueReviews = openDueReviewsJob.runAll;
