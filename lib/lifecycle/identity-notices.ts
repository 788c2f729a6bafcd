import type { Tx } from "@/lib/db/client";
import { Prisma } from "@/lib/db/generated/client";
import { reviewPath } from "@/lib/reviews/labels";
import { DAY_MS } from "@/lib/time";
import { day, securityLeadIds, sendNotices } from "./notices";

// Who answers for an identity, and the two messages written by the jobs that
// change an identity's status (suspension for an overdue review, expiry), in
// the same transaction as the change itself.

/**
 * Who is told about an identity, as an SQL expression over its owner `o` and
 * backup owner `b` (a LEFT JOIN): the active ones of the two. An orphan (its
 * owner deactivated) with no active backup owner yields an empty list: its
 * security leads stand in (standInForNobody).
 */
export const ACCOUNTABLE_SQL = Prisma.sql`array_remove(ARRAY[CASE WHEN o."active" THEN o."id" END, CASE WHEN b."active" THEN b."id" END], NULL)`;

/** The people accountable, or the security leads when nobody is (an orphan with no backup owner). */
export function standInForNobody(accountable: readonly string[], leads: readonly string[]): string[] {
  return accountable.length > 0 ? [...accountable] : [...leads];
}

interface IdentityForNotice {
  id: string;
  name: string;
  environment: string;
  accountable: string[];
}

async function identityForNotice(tx: Tx, identityId: string): Promise<IdentityForNotice> {
  const [row] = await tx.$queryRaw<IdentityForNotice[]>`
    SELECT i."id", i."name", i."environment"::text AS "environment", ${ACCOUNTABLE_SQL} AS "accountable"
    FROM "AiIdentity" i JOIN "User" o ON o."id" = i."ownerId" LEFT JOIN "User" b ON b."id" = i."backupOwnerId"
    WHERE i."id" = ${identityId}`;
  if (!row) throw new Error(`identity ${identityId} not found`);
  return row;
}

/** Tells the owner and the security leads that the grace period suspended the identity (always sent, whatever anyone chose). */
export async function noticeSuspendedForOverdueReview(
  tx: Tx,
  review: { id: string; identityId: string; dueAt: Date },
  graceDays: number,
  now: Date,
): Promise<void> {
  const identity = await identityForNotice(tx, review.identityId);
  const leads = await securityLeadIds(tx);
  const daysOverdue = Math.floor((now.getTime() - review.dueAt.getTime()) / DAY_MS);
  await sendNotices(tx, [
    {
      key: `identity.suspended:${review.id}`,
      kind: "identity.suspended",
      identityId: identity.id,
      reviewId: review.id,
      subject: `Suspended: ${identity.name} (${identity.environment}), its review is ${daysOverdue} days overdue`,
      text:
        `${identity.name} (${identity.environment}) was suspended: its review was due ${day(review.dueAt)} and nobody attested it ` +
        `within the ${graceDays}-day grace period. It can act again once its owner attests the review and a security lead reactivates it.`,
      link: reviewPath({ id: review.id, identityId: identity.id }),
      recipientUserIds: [...new Set([...identity.accountable, ...leads])],
      data: { dueAt: review.dueAt.toISOString(), daysOverdue },
    },
  ]);
}

/** Tells the owner that the identity expired (with the date, so an identity extended and expired again is told again). */
export async function noticeExpired(tx: Tx, identityId: string, expiresAt: Date, ended: Record<string, number>): Promise<void> {
  const identity = await identityForNotice(tx, identityId);
  const recipients = standInForNobody(identity.accountable, identity.accountable.length > 0 ? [] : await securityLeadIds(tx));
  await sendNotices(tx, [
    {
      key: `identity.expired:${identity.id}:${expiresAt.toISOString()}`,
      kind: "identity.expired",
      identityId: identity.id,
      subject: `Expired: ${identity.name} (${identity.environment})`,
      text:
        `${identity.name} (${identity.environment}) reached its expiry date ${day(expiresAt)} and expired: ` +
        `${ended.grantsEnded ?? 0} grants ended and ${ended.credentialsRevoked ?? 0} credentials were marked revoked. ` +
        `A security lead can reactivate it after its expiry is extended.`,
      link: `/inventory/${identity.id}`,
      recipientUserIds: recipients,
      data: { expiresAt: expiresAt.toISOString() },
    },
  ]);
}
