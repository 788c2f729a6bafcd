import { z } from "zod";
import type { Actor } from "@/lib/auth/actor";
import { defineMutation, executeMutation } from "@/lib/auth/mutation";
import type { Db } from "@/lib/db/client";
import { AppError, forbidden } from "@/lib/errors";
import { applyIdentityTransition, TRANSITIONS } from "@/lib/inventory/identities";
import { runBatchesUntilDone } from "@/lib/jobs/batches";
import { DAY_MS } from "@/lib/time";

// An identity whose owner does not attest is suspended once its review is
// REVIEW_GRACE_DAYS overdue: access nobody vouches for stops. Until then the
// overdue review waits in the owner's tasks and in the security leads'
// overdue list. The review stays open; once the owner attests, a security
// lead reactivates the identity. Safe to run any number of times: a suspended
// identity is not suspended again, and each batch commits on its own.

export const REVIEW_GRACE_DAYS = 14;
const BATCH_SIZE = 200;

const suspendOverdueInput = z.object({
  now: z.coerce.date(),
  limit: z.number().int().min(1).max(1000),
});

/** One batch of identities whose review is past the grace period, suspended in one transaction; Warrant only. */
export const suspendOverdueIdentitiesBatch = defineMutation({
  name: "reviews.suspend-overdue",
  description: "suspend identities whose review is overdue",
  permission: "inventory:write",
  input: suspendOverdueInput,
  async run({ tx, actor, audit }, { now, limit }) {
    if (actor.kind !== "system") throw forbidden("suspend identities for overdue reviews: Warrant does that after the grace period");
    const cutoff = new Date(now.getTime() - REVIEW_GRACE_DAYS * DAY_MS);
    const overdue = await tx.review.findMany({
      where: { status: "OPEN", dueAt: { lte: cutoff }, identity: { status: { in: TRANSITIONS.suspend.from } } },
      orderBy: [{ dueAt: "asc" }, { id: "asc" }],
      take: limit,
      select: { identityId: true, dueAt: true },
    });
    let suspended = 0;
    for (const review of overdue) {
      const daysOverdue = Math.floor((now.getTime() - review.dueAt.getTime()) / DAY_MS);
      const reason = `Review overdue by ${daysOverdue} days (grace period ${REVIEW_GRACE_DAYS} days); suspended until its owner attests and a security lead reactivates it.`;
      const result = await applyIdentityTransition(tx, actor, "suspend", { identityId: review.identityId, reason }).catch((error: unknown) => {
        // Suspended meanwhile (by a person or another worker): nothing left to do for it.
        if (error instanceof AppError && error.code === "conflict") return null;
        throw error;
      });
      if (!result) continue;
      await audit(result.audit);
      suspended += 1;
    }
    // Nothing to write means nothing to audit: end the transaction as "nothing was changed".
    if (suspended === 0) throw new AppError("conflict", "No identity's review is past the grace period.");
    return { candidates: overdue.length, suspended };
  },
});

/** Suspends every identity whose review is past the grace period; returns how many. */
export function suspendOverdueIdentities(db: Db, actor: Actor, now = new Date()): Promise<number> {
  return runBatchesUntilDone(async () => {
    const batch = await executeMutation(suspendOverdueIdentitiesBatch, actor, { now, limit: BATCH_SIZE }, db);
    return { candidates: batch.candidates, changed: batch.suspended };
  }, BATCH_SIZE);
}
