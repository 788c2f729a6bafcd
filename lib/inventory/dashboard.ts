import type { Db } from "@/lib/db/client";
import { IdentityStatus } from "@/lib/db/generated/enums";

export interface StatusCount {
  status: IdentityStatus;
  count: number;
}

/** Identities per status, every status listed (zero included) in lifecycle order. */
export async function countIdentitiesByStatus(db: Db): Promise<StatusCount[]> {
  const groups = await db.aiIdentity.groupBy({ by: ["status"], _count: { _all: true } });
  const counts = new Map(groups.map((group) => [group.status, group._count._all]));
  return Object.values(IdentityStatus).map((status) => ({ status, count: counts.get(status) ?? 0 }));
}

export interface AttentionCounts {
  orphaned: number;
  reviewOverdue: number;
  expiringIn30Days: number;
}

const LIVE_STATUSES: IdentityStatus[] = ["PROPOSED", "ACTIVE", "SUSPENDED"];

/** The numbers a security lead acts on first. Only identities still in use count. */
export async function countNeedingAttention(db: Db, now = new Date()): Promise<AttentionCounts> {
  const in30Days = new Date(now.getTime() + 30 * 24 * 60 * 60 * 1000);
  const live = { status: { in: LIVE_STATUSES } };
  const [orphaned, reviewOverdue, expiringIn30Days] = await Promise.all([
    db.aiIdentity.count({ where: { ...live, orphanedAt: { not: null } } }),
    db.aiIdentity.count({ where: { ...live, nextReviewAt: { lt: now } } }),
    db.aiIdentity.count({ where: { ...live, expiresAt: { gte: now, lt: in30Days } } }),
  ]);
  return { orphaned, reviewOverdue, expiringIn30Days };
}
