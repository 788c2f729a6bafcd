import type { Tx } from "@/lib/db/client";
import { newId } from "@/lib/db/ids";
import type { NotificationDelivery } from "@/lib/db/generated/enums";
import { enqueueNotifications } from "@/lib/notifications/outbox";
import { NOTICE_KINDS, type NoticeKind } from "./kinds";

// Sending a lifecycle message exactly once. Each occasion has a key (the
// reminder 7 days before review R is "review.due-soon:R"); the key goes into
// the LifecycleNotice ledger in the same transaction as the outbox rows it
// causes. A sweep run twice, or two sweeps at once, or a sweep restarted after
// a crash, finds the key there and sends nothing: the insert that loses the
// race waits for the winner's commit and then does nothing. A crash before the
// commit loses the key and the messages together, so the rerun sends them.

export interface Notice {
  /** The occasion, unique for ever: "review.due-soon:<reviewId>", "identity.expiring:<id>:<expiry>:7". */
  key: string;
  kind: NoticeKind;
  identityId?: string;
  reviewId?: string;
  subject: string;
  text: string;
  /** A path in the app. */
  link?: string;
  /** The people it is for; each one's choice for this kind decides email, digest or nothing. */
  recipientUserIds: string[];
  data?: Record<string, unknown>;
}

/** The format dates take in lifecycle messages: a UTC calendar day. */
export function day(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/**
 * Sends every notice whose key has not been sent before, in the caller's
 * transaction, and returns the keys it sent. Recipients who chose email (the
 * default) get an email, those who chose the digest get an entry in tomorrow
 * morning's, those who chose none get nothing; webhooks get every notice.
 */
export async function sendNotices(tx: Tx, notices: readonly Notice[]): Promise<string[]> {
  if (notices.length === 0) return [];
  const ledger = notices.map(({ key, kind, identityId, reviewId }) => ({
    key,
    kind,
    identityId: identityId ?? null,
    reviewId: reviewId ?? null,
  }));
  const inserted = await tx.$queryRaw<{ key: string }[]>`
    INSERT INTO "LifecycleNotice" ("key", "kind", "identityId", "reviewId")
    SELECT n."key", n."kind", n."identityId", n."reviewId"
    FROM json_to_recordset(${JSON.stringify(ledger)}::json) AS n("key" text, "kind" text, "identityId" text, "reviewId" text)
    ON CONFLICT ("key") DO NOTHING
    RETURNING "key"`;
  const fresh = new Set(inserted.map(({ key }) => key));
  const due = notices.filter((notice) => fresh.has(notice.key));
  if (due.length === 0) return [];

  const people = [...new Set(due.flatMap((notice) => notice.recipientUserIds))];
  const kinds = [...new Set(due.map((notice) => notice.kind))];
  const choices = await tx.notificationPreference.findMany({
    where: { userId: { in: people }, kind: { in: kinds } },
    select: { userId: true, kind: true, delivery: true },
  });
  const choiceOf = new Map(choices.map((choice) => [`${choice.userId} ${choice.kind}`, choice.delivery]));
  const deliveryFor = (userId: string, kind: NoticeKind): NotificationDelivery =>
    NOTICE_KINDS[kind].optional ? (choiceOf.get(`${userId} ${kind}`) ?? "EMAIL") : "EMAIL";

  await enqueueNotifications(
    tx,
    due.map((notice) => ({
      event: notice.kind,
      subject: notice.subject,
      text: notice.text,
      link: notice.link,
      recipientUserIds: notice.recipientUserIds.filter((userId) => deliveryFor(userId, notice.kind) === "EMAIL"),
      data: { ...notice.data, noticeKey: notice.key, identityId: notice.identityId, reviewId: notice.reviewId },
    })),
  );
  const digestRows = due.flatMap((notice) =>
    [...new Set(notice.recipientUserIds)]
      .filter((userId) => deliveryFor(userId, notice.kind) === "DIGEST")
      .map((userId) => ({
        id: newId(),
        userId,
        noticeKey: notice.key,
        subject: notice.subject,
        text: notice.text,
        link: notice.link ?? null,
      })),
  );
  if (digestRows.length > 0) {
    await tx.$executeRaw`
      INSERT INTO "DigestEntry" ("id", "userId", "noticeKey", "subject", "text", "link")
      SELECT d."id", d."userId", d."noticeKey", d."subject", d."text", d."link"
      FROM json_to_recordset(${JSON.stringify(digestRows)}::json) AS d("id" text, "userId" text, "noticeKey" text, "subject" text, "text" text, "link" text)
      ON CONFLICT ("userId", "noticeKey") DO NOTHING`;
  }
  return due.map((notice) => notice.key);
}

/** The active security leads: who hears of escalations, and who stands in for an orphan with no backup owner. */
export async function securityLeadIds(tx: Tx): Promise<string[]> {
  const leads = await tx.user.findMany({
    where: { active: true, roles: { has: "SECURITY_LEAD" } },
    select: { id: true },
    orderBy: { id: "asc" },
  });
  return leads.map((lead) => lead.id);
}
