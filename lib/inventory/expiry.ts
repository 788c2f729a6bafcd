import { z } from "zod";
import type { Actor } from "@/lib/auth/actor";
import { defineMutation, executeMutation } from "@/lib/auth/mutation";
import type { Db } from "@/lib/db/client";
import { runBatchesUntilDone } from "@/lib/jobs/batches";
import { AppError, forbidden } from "@/lib/errors";
import { lockIdentity } from "./access";
import { endAccess } from "./identities";
import { LIVE_STATUSES } from "./lifecycle";
import { recomputeRisk } from "./recompute-risk";

// Every identity has an expiry date, so that none lives on by default. When
// the date passes, Warrant expires it: its status becomes EXPIRED, its grants
// end, its credentials are marked revoked and an open review is cancelled.
// Safe to run any number of times: each batch commits on its own, an identity
// is expired once, and a rerun after a crash picks up where it stopped.

const BATCH_SIZE = 200;

const expireDueInput = z.object({
  now: z.coerce.date(),
  limit: z.number().int().min(1).max(1000),
});

/** One batch of identities past their expiry date, in one transaction; only Warrant itself (a job) runs it. */
export const expireDueIdentitiesBatch = defineMutation({
  name: "identities.expire-due",
  description: "expire identities",
  permission: "inventory:write",
  input: expireDueInput,
  async run({ tx, actor, audit }, { now, limit }) {
    if (actor.kind !== "system") throw forbidden("expire identities: Warrant does that on their expiry date");
    const due = await tx.aiIdentity.findMany({
      where: { status: { in: LIVE_STATUSES }, expiresAt: { lte: now } },
      orderBy: [{ expiresAt: "asc" }, { id: "asc" }],
      take: limit,
      select: { id: true },
    });
    let expired = 0;
    for (const { id } of due) {
      // Re-read under the row lock: an edit may have extended the expiry meanwhile.
      const identity = await lockIdentity(tx, id);
      if (!LIVE_STATUSES.includes(identity.status) || identity.expiresAt > now) continue;
      const ended = await endAccess(tx, id, now);
      await tx.aiIdentity.update({ where: { id }, data: { status: "EXPIRED" } });
      await recomputeRisk(tx, id, now);
      await audit({
        action: "identity.expired",
        targetType: "identity",
        targetId: id,
        data: { from: identity.status, to: "EXPIRED", reason: `reached its expiry date ${identity.expiresAt.toISOString()}`, ...ended },
      });
      expired += 1;
    }
    // Nothing to write means nothing to audit: end the transaction as "nothing was changed".
    if (expired === 0) throw new AppError("conflict", "No identities have reached their expiry date.");
    return { candidates: due.length, expired };
  },
});

/** Expires every identity past its expiry date; returns how many. */
export function expireDueIdentities(db: Db, actor: Actor, now = new Date()): Promise<number> {
  return runBatchesUntilDone(async () => {
    const batch = await executeMutation(expireDueIdentitiesBatch, actor, { now, limit: BATCH_SIZE }, db);
    return { candidates: batch.candidates, changed: batch.expired };
  }, BATCH_SIZE);
}
