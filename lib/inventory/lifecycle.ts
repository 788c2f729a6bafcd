import type { IdentityStatus } from "@/lib/db/generated/enums";
import { Prisma } from "@/lib/db/generated/client";
import { DAY_MS } from "@/lib/time";

/**
 * Identities still in service. Reviews, "overdue" and reminders concern only
 * these; expired, revoked and retired identities are history.
 */
export const LIVE_STATUSES: IdentityStatus[] = ["PROPOSED", "ACTIVE", "SUSPENDED"];

/**
 * "Review overdue", written once: an identity in service whose next review
 * date has passed. The inventory filter, its table, the identity page and the
 * risk rule all read it from here, so they cannot disagree.
 */
export function isReviewOverdue(identity: { status: IdentityStatus; nextReviewAt: Date }, now: Date): boolean {
  return LIVE_STATUSES.includes(identity.status) && identity.nextReviewAt.getTime() < now.getTime();
}

/** The same rule as an SQL condition on the inventory query's identity alias `i` (see query-sql.ts). */
export function reviewOverdueSql(now: Date): Prisma.Sql {
  return Prisma.sql`i."status" = ANY(CAST(${LIVE_STATUSES} AS "IdentityStatus"[])) AND i."nextReviewAt" < ${now}`;
}

/** How long an identity has been orphaned, for the orphan queue: "12 days", "1 day", "less than a day". */
export function orphanedForLabel(orphanedAt: Date, now: Date): string {
  const days = Math.floor((now.getTime() - orphanedAt.getTime()) / DAY_MS);
  if (days < 1) return "less than a day";
  return `${days} day${days === 1 ? "" : "s"}`;
}
