import { z } from "zod";
import { type Actor } from "@/lib/auth/actor";
import { defineMutation, executeMutation } from "@/lib/auth/mutation";
import type { Db } from "@/lib/db/client";
import { runBatchesUntilDone } from "@/lib/jobs/batches";
import { AppError, forbidden } from "@/lib/errors";
import { LIVE_STATUSES } from "@/lib/inventory/lifecycle";
import { DAY_MS } from "@/lib/time";
import { applyReviewOpen } from "./reviews";

// Scheduled reviews: every identity in service comes back to its owner on its
// next review date. The review opens REVIEW_NOTICE_DAYS before that date, so
// the owner has time to attest before it is overdue, and is due on the date
// itself. Safe to run any number of times: an identity with an open review is
// skipped, and each batch commits on its own (see runBatchesUntilDone).

export const REVIEW_NOTICE_DAYS = 14;
const BATCH_SIZE = 200;

const openDueReviewsInput = z.object({
  now: z.coerce.date(),
  limit: z.number().int().min(1).max(1000),
});

/** One batch of scheduled reviews in one transaction; only Warrant's scheduler (a system actor) runs it. */
export const openDueReviewsBatch = defineMutation({
  name: "reviews.open-due",
  description: "open scheduled reviews",
  permission: "inventory:write",
  input: openDueReviewsInput,
  async run({ tx, actor, audit }, { now, limit }) {
    if (actor.kind !== "system") throw forbidden("open scheduled reviews: Warrant's scheduler does that");
    const horizon = new Date(now.getTime() + REVIEW_NOTICE_DAYS * DAY_MS);
    const due = await tx.aiIdentity.findMany({
      where: { status: { in: LIVE_STATUSES }, nextReviewAt: { lte: horizon }, reviews: { none: { status: "OPEN" } } },
      orderBy: [{ nextReviewAt: "asc" }, { id: "asc" }],
      take: limit,
      select: { id: true, nextReviewAt: true },
    });
    let opened = 0;
    for (const identity of due) {
      const result = await applyReviewOpen(tx, actor, { identityId: identity.id, trigger: "SCHEDULED", dueAt: identity.nextReviewAt }, now);
      if (result.audit) {
        await audit(result.audit);
        opened += 1;
      }
    }
    // Nothing to write means nothing to audit: end the transaction as "nothing was changed".
    if (opened === 0) throw new AppError("conflict", "No reviews have come due.");
    return { candidates: due.length, opened };
  },
});

/** Opens every review that has come due; returns how many were opened. */
export function openDueReviews(db: Db, actor: Actor, now = new Date()): Promise<number> {
  return runBatchesUntilDone(async () => {
    const batch = await executeMutation(openDueReviewsBatch, actor, { now, limit: BATCH_SIZE }, db);
    return { candidates: batch.candidates, changed: batch.opened };
  }, BATCH_SIZE);
}
