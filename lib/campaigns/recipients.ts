import type { Tx } from "@/lib/db/client";
import { Prisma } from "@/lib/db/generated/client";
import { enqueueNotifications } from "@/lib/notifications/outbox";

// Who hears about a campaign's reviews: one message per person, however many
// of their identities the message covers. An identity's owner is asked; an
// orphaned identity's (its owner left) goes to its backup owner, or to the
// security leads when it has no active one.

export interface RecipientCount {
  /** A person, or null for "the security leads" (orphans without an active backup owner). */
  userId: string | null;
  reviews: number;
}

/**
 * Counts the campaign reviews matching `where` (an SQL condition on the review
 * alias `r`) by the person who owes them, in one statement.
 */
export async function countByRecipient(tx: Tx, where: Prisma.Sql): Promise<RecipientCount[]> {
  return tx.$queryRaw<RecipientCount[]>`
    SELECT CASE WHEN i."orphanedAt" IS NULL THEN i."ownerId" WHEN b."active" THEN i."backupOwnerId" END AS "userId",
           count(*)::int AS "reviews"
    FROM "Review" r
    JOIN "AiIdentity" i ON i."id" = r."identityId"
    LEFT JOIN "User" b ON b."id" = i."backupOwnerId"
    WHERE ${where}
    GROUP BY 1
    ORDER BY 1`;
}

async function securityLeads(tx: Tx): Promise<string[]> {
  const leads = await tx.$queryRaw<{ id: string }[]>`SELECT "id" FROM "User" WHERE "roles" @> ARRAY['SECURITY_LEAD'::"Role"] AND "active"`;
  return leads.map((lead) => lead.id);
}

export interface CampaignMessage {
  event: string;
  /** The subject for `reviews` reviews; `orphans` is true for the security leads' message about orphaned identities. */
  subject: (reviews: number, orphans: boolean) => string;
  text: (reviews: number, orphans: boolean) => string;
  link: string;
  data: Record<string, unknown>;
}

/** Writes one outbox message per recipient (the security leads share one about orphans), in one statement; returns how many people were written to. */
export async function notifyRecipients(
  tx: Tx,
  counts: RecipientCount[],
  message: CampaignMessage,
): Promise<{ people: number; orphanReviews: number }> {
  const orphanReviews = counts.find((entry) => entry.userId === null)?.reviews ?? 0;
  const leads = orphanReviews > 0 ? await securityLeads(tx) : [];
  const inputs = counts.map(({ userId, reviews }) => {
    const orphans = userId === null;
    return {
      event: message.event,
      subject: message.subject(reviews, orphans),
      text: message.text(reviews, orphans),
      link: message.link,
      recipientUserIds: orphans ? leads : [userId],
      data: { ...message.data, reviews, orphans },
    };
  });
  await enqueueNotifications(tx, inputs);
  return { people: inputs.reduce((sum, input) => sum + input.recipientUserIds.length, 0), orphanReviews };
}

/** "1 identity", "3 identities". */
export function identities(count: number): string {
  return `${count.toLocaleString("en-US")} ${count === 1 ? "identity" : "identities"}`;
}

/** A due date as people read it in a message: the UTC day. */
export function dayOf(date: Date): string {
  return date.toISOString().slice(0, 10);
}
