import { defineBatchJob } from "@/lib/jobs/batches";
import { lockIdentity } from "./access";
import { endAccess } from "./identities";
import { LIVE_STATUSES } from "./lifecycle";
import { recomputeRisk } from "./recompute-risk";
import { noticeExpired } from "@/lib/lifecycle/identity-notices";

// Every identity has an expiry date, so that none lives on by default. When
// the date passes, Warrant expires it: its status becomes EXPIRED, its grants
// end, its credentials are marked revoked, an open review is cancelled, and
// its owner is told (the 14, 7 and 1-day warnings come from lib/lifecycle).
// An identity is expired once; running the job again changes nothing.

const expireDueIdentitiesJob = defineBatchJob({
  name: "identities.expire-due",
  description: "expire identities",
  findCandidates: (tx, now, limit) =>
    tx.aiIdentity.findMany({
      where: { status: { in: LIVE_STATUSES }, expiresAt: { lte: now } },
      orderBy: [{ expiresAt: "asc" }, { id: "asc" }],
      take: limit,
      select: { id: true },
    }),
  async apply(tx, _actor, { id }, now) {
    // Re-read under the row lock: an edit may have extended the expiry meanwhile.
    const identity = await lockIdentity(tx, id);
    if (!LIVE_STATUSES.includes(identity.status) || identity.expiresAt > now) return null;
    const ended = await endAccess(tx, id, now);
    await tx.aiIdentity.update({ where: { id }, data: { status: "EXPIRED" } });
    await recomputeRisk(tx, id, now);
    await noticeExpired(tx, id, identity.expiresAt, ended);
    return {
      action: "identity.expired",
      targetType: "identity",
      targetId: id,
      data: { from: identity.status, to: "EXPIRED", reason: `reached its expiry date ${identity.expiresAt.toISOString()}`, ...ended },
    };
  },
});

/** One batch of identities past their expiry date, in one transaction; only Warrant itself (a job) runs it. */
export const expireDueIdentitiesBatch = expireDueIdentitiesJob.mutation;
/** Expires every identity past its expiry date; returns how many. */
export const expireDueIdentities = expireDueIdentitiesJob.runAll;
