import type { Tx } from "@/lib/db/client";
import { Prisma } from "@/lib/db/generated/client";
import { LIVE_STATUSES } from "@/lib/inventory/lifecycle";
import { REVIEW_TRIGGER_LABELS, reviewPath } from "@/lib/reviews/labels";
import { REVIEW_GRACE_DAYS } from "@/lib/reviews/overdue";
import { DAY_MS } from "@/lib/time";
import { ACCOUNTABLE_SQL, standInForNobody } from "./identity-notices";
import { day, type Notice } from "./notices";
import type { LifecycleSettings } from "./settings";
import type { ReviewTrigger } from "@/lib/db/generated/enums";

// The occasions the lifecycle sweep looks for. Each finds, with one indexed
// query, up to `limit` notices that are due at `now` and whose key is not yet
// in the ledger, so a batch that sends them makes progress and a sweep run
// again finds nothing. A key names its occasion for ever: a reminder missed
// while the worker was down goes out late, once, never twice.

/** The reminder before a review is due. */
export const REMINDER_DAYS_BEFORE = 7;
/** Overdue reminders go out once in every period of this many days. */
export const OVERDUE_EVERY_DAYS = 3;
/** Expiry warnings: this many days before. */
export const EXPIRY_WARNING_DAYS = [14, 7, 1] as const;
/** A credential nobody used for this long is reported weekly. */
export const IDLE_CREDENTIAL_DAYS = 90;
/** "A review opened" goes out for reviews opened this recently: a first sweep after an upgrade does not announce old ones. */
const OPENED_LOOKBACK_DAYS = 2;
/** The weekly report lists this many credentials and counts the rest. */
const CREDENTIALS_LISTED = 20;

export interface OccasionContext {
  now: Date;
  settings: LifecycleSettings;
  /** The active security leads (read once a batch). */
  leads: string[];
  limit: number;
}

export interface Occasion {
  /** What the sweep reports and audits, e.g. "review.due-soon". */
  name: string;
  find(tx: Tx, ctx: OccasionContext): Promise<Notice[]>;
}

interface ReviewRow {
  key: string;
  reviewId: string;
  identityId: string;
  name: string;
  environment: string;
  dueAt: Date;
  trigger: ReviewTrigger;
  reason: string | null;
  ownerLabel: string;
  accountable: string[];
}

/** Open reviews matching `where` whose notice `key` (an SQL expression over `r`) has not gone out. */
function dueReviews(tx: Tx, key: Prisma.Sql, where: Prisma.Sql, limit: number) {
  return tx.$queryRaw<ReviewRow[]>`
    SELECT k."key", r."id" AS "reviewId", i."id" AS "identityId", i."name", i."environment"::text AS "environment", r."dueAt",
           r."trigger"::text AS "trigger", r."reason", COALESCE(o."name", o."email") AS "ownerLabel", ${ACCOUNTABLE_SQL} AS "accountable"
    FROM "Review" r
    CROSS JOIN LATERAL (SELECT ${key} AS "key") k
    JOIN "AiIdentity" i ON i."id" = r."identityId"
    JOIN "User" o ON o."id" = i."ownerId"
    LEFT JOIN "User" b ON b."id" = i."backupOwnerId"
    WHERE r."status" = 'OPEN' AND ${where}
      AND NOT EXISTS (SELECT 1 FROM "LifecycleNotice" n WHERE n."key" = k."key")
    ORDER BY r."dueAt", r."id"
    LIMIT ${limit}`;
}

const reviewLink = (row: { identityId: string; reviewId: string }) => reviewPath({ id: row.reviewId, identityId: row.identityId });
const label = (row: { name: string; environment: string }) => `${row.name} (${row.environment})`;
const daysBetween = (from: Date, to: Date) => Math.floor((to.getTime() - from.getTime()) / DAY_MS);
const plural = (count: number, noun: string) => `${count} ${noun}${count === 1 ? "" : "s"}`;

const reviewOpened: Occasion = {
  name: "review.opened",
  async find(tx, { now, leads, limit }) {
    // Campaign reviews are announced by their campaign, one message per owner.
    const rows = await dueReviews(
      tx,
      Prisma.sql`'review.opened:' || r."id"`,
      Prisma.sql`r."campaignId" IS NULL AND r."openedAt" <= ${now} AND r."openedAt" > ${new Date(now.getTime() - OPENED_LOOKBACK_DAYS * DAY_MS)}`,
      limit,
    );
    return rows.map((row) => ({
      key: row.key,
      kind: "review.opened",
      identityId: row.identityId,
      reviewId: row.reviewId,
      subject: `Review opened: ${label(row)}, due ${day(row.dueAt)}`,
      text:
        `A review of ${label(row)} is open (${REVIEW_TRIGGER_LABELS[row.trigger]}${row.reason ? `: ${row.reason}` : ""}). ` +
        `Confirm that it is still needed, its purpose unchanged, its access the least it needs and its credentials rotated, by ${day(row.dueAt)}.`,
      link: reviewLink(row),
      recipientUserIds: standInForNobody(row.accountable, leads),
      data: { dueAt: row.dueAt.toISOString(), trigger: row.trigger },
    }));
  },
};

const reviewDueSoon: Occasion = {
  name: "review.due-soon",
  async find(tx, { now, leads, limit }) {
    const horizon = new Date(now.getTime() + REMINDER_DAYS_BEFORE * DAY_MS);
    // A review opened within the reminder period (a change gives 7 days) was announced just now: no reminder on top.
    const rows = await dueReviews(
      tx,
      Prisma.sql`'review.due-soon:' || r."id"`,
      Prisma.sql`r."dueAt" > ${now} AND r."dueAt" <= ${horizon} AND r."openedAt" < r."dueAt" - make_interval(days => ${REMINDER_DAYS_BEFORE})`,
      limit,
    );
    return rows.map((row) => ({
      key: row.key,
      kind: "review.reminder",
      identityId: row.identityId,
      reviewId: row.reviewId,
      subject: `Review due in ${plural(Math.max(1, Math.ceil((row.dueAt.getTime() - now.getTime()) / DAY_MS)), "day")}: ${label(row)}`,
      text: `The review of ${label(row)} is due ${day(row.dueAt)}. Attest it before then; ${REVIEW_GRACE_DAYS} days after that date an unattested identity is suspended.`,
      link: reviewLink(row),
      recipientUserIds: standInForNobody(row.accountable, leads),
      data: { dueAt: row.dueAt.toISOString() },
    }));
  },
};

const reviewDueToday: Occasion = {
  name: "review.due-today",
  async find(tx, { now, leads, limit }) {
    // The due day is the UTC calendar day of the due date: the first sweep that day tells the owner.
    const dayStart = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
    const rows = await dueReviews(
      tx,
      Prisma.sql`'review.due-today:' || r."id"`,
      Prisma.sql`r."dueAt" >= ${dayStart} AND r."dueAt" < ${new Date(dayStart.getTime() + DAY_MS)}`,
      limit,
    );
    return rows.map((row) => ({
      key: row.key,
      kind: "review.reminder",
      identityId: row.identityId,
      reviewId: row.reviewId,
      subject: `Review due today: ${label(row)}`,
      text: `The review of ${label(row)} is due today, ${day(row.dueAt)}. If nobody attests it, ${row.name} is suspended ${REVIEW_GRACE_DAYS} days from now.`,
      link: reviewLink(row),
      recipientUserIds: standInForNobody(row.accountable, leads),
      data: { dueAt: row.dueAt.toISOString() },
    }));
  },
};

const reviewOverdue: Occasion = {
  name: "review.overdue",
  async find(tx, { now, leads, limit }) {
    // One reminder in each period of OVERDUE_EVERY_DAYS days, from the first full period on; they
    // stop once the identity is suspended (the owner and the leads are told of that instead).
    const period = OVERDUE_EVERY_DAYS * DAY_MS;
    const rows = await dueReviews(
      tx,
      Prisma.sql`'review.overdue:' || r."id" || ':' || floor(extract(epoch FROM (${now}::timestamptz - r."dueAt")) * 1000 / ${period})::int`,
      Prisma.sql`r."dueAt" <= ${new Date(now.getTime() - period)} AND i."status" IN ('ACTIVE', 'PROPOSED')`,
      limit,
    );
    return rows.map((row) => {
      const overdueDays = daysBetween(row.dueAt, now);
      const suspendOn = new Date(row.dueAt.getTime() + REVIEW_GRACE_DAYS * DAY_MS);
      return {
        key: row.key,
        kind: "review.overdue" as const,
        identityId: row.identityId,
        reviewId: row.reviewId,
        subject: `Review overdue by ${plural(overdueDays, "day")}: ${label(row)}`,
        text: `The review of ${label(row)} was due ${day(row.dueAt)}. Attest it now: if nobody does, ${row.name} is suspended on ${day(suspendOn)}.`,
        link: reviewLink(row),
        recipientUserIds: standInForNobody(row.accountable, leads),
        data: { dueAt: row.dueAt.toISOString(), overdueDays },
      };
    });
  },
};

const reviewEscalated: Occasion = {
  name: "review.escalated",
  async find(tx, { now, settings, leads, limit }) {
    const rows = await dueReviews(
      tx,
      Prisma.sql`'review.escalated:' || r."id"`,
      Prisma.sql`r."dueAt" <= ${new Date(now.getTime() - settings.escalationDays * DAY_MS)}`,
      limit,
    );
    return rows.map((row) => {
      const overdueDays = daysBetween(row.dueAt, now);
      return {
        key: row.key,
        kind: "review.escalated" as const,
        identityId: row.identityId,
        reviewId: row.reviewId,
        subject: `Escalated: the review of ${label(row)} is ${plural(overdueDays, "day")} overdue`,
        text:
          `The review of ${label(row)}, owned by ${row.ownerLabel}, was due ${day(row.dueAt)} and is still not attested ` +
          `(escalated after ${settings.escalationDays} days). Unless it is attested, the identity is suspended ${REVIEW_GRACE_DAYS} days after its due date.`,
        link: reviewLink(row),
        recipientUserIds: leads,
        data: { dueAt: row.dueAt.toISOString(), overdueDays, escalationDays: settings.escalationDays },
      };
    });
  },
};

interface ExpiringRow {
  key: string;
  identityId: string;
  name: string;
  environment: string;
  expiresAt: Date;
  warningDays: number;
  accountable: string[];
}

const identityExpiring: Occasion = {
  name: "identity.expiring",
  async find(tx, { now, leads, limit }) {
    const [first, second, third] = EXPIRY_WARNING_DAYS;
    const left = Prisma.sql`(i."expiresAt" - ${now}::timestamptz)`;
    // The nearest warning the time left has reached: an identity registered 5 days before its expiry gets the 7-day warning, not the 14-day.
    const warning = Prisma.sql`CASE WHEN ${left} <= make_interval(days => ${third}) THEN ${third}
                                    WHEN ${left} <= make_interval(days => ${second}) THEN ${second} ELSE ${first} END`;
    const rows = await tx.$queryRaw<ExpiringRow[]>`
      SELECT k."key", i."id" AS "identityId", i."name", i."environment"::text AS "environment", i."expiresAt", k."warningDays",
             ${ACCOUNTABLE_SQL} AS "accountable"
      FROM "AiIdentity" i
      CROSS JOIN LATERAL (SELECT ${warning} AS "warningDays") w
      CROSS JOIN LATERAL (SELECT 'identity.expiring:' || i."id" || ':' || to_char(i."expiresAt" AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') || ':' || w."warningDays" AS "key", w."warningDays") k
      JOIN "User" o ON o."id" = i."ownerId"
      LEFT JOIN "User" b ON b."id" = i."backupOwnerId"
      WHERE i."status" = ANY(CAST(${LIVE_STATUSES} AS "IdentityStatus"[]))
        AND i."expiresAt" > ${now} AND i."expiresAt" <= ${new Date(now.getTime() + first * DAY_MS)}
        AND NOT EXISTS (SELECT 1 FROM "LifecycleNotice" n WHERE n."key" = k."key")
      ORDER BY i."expiresAt", i."id"
      LIMIT ${limit}`;
    return rows.map((row) => {
      const daysLeft = Math.max(1, Math.ceil((row.expiresAt.getTime() - now.getTime()) / DAY_MS));
      return {
        key: row.key,
        kind: "identity.expiring" as const,
        identityId: row.identityId,
        subject: `${label(row)} expires in ${plural(daysLeft, "day")}, on ${day(row.expiresAt)}`,
        text:
          `${label(row)} expires on ${day(row.expiresAt)}: then its grants end and its credentials are revoked. ` +
          `If it is still needed, extend its expiry (a change that may need approval) before then; otherwise nothing needs doing.`,
        link: `/inventory/${row.identityId}`,
        recipientUserIds: standInForNobody(row.accountable, leads),
        data: { expiresAt: row.expiresAt.toISOString(), warningDays: row.warningDays },
      };
    });
  },
};

interface CredentialReportRow {
  key: string;
  userId: string;
  total: number;
  listed: { identityId: string; identity: string; label: string; rotationDueAt: string | null; idleSince: string | null }[];
}

/** Monday 00:00 UTC of the week `now` falls in: the weekly report's period. */
export function weekStart(now: Date): Date {
  const midnight = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return new Date(midnight - ((now.getUTCDay() + 6) % 7) * DAY_MS);
}

const credentialAttention: Occasion = {
  name: "credential.attention",
  async find(tx, { now, limit }) {
    const week = day(weekStart(now));
    const idleBefore = new Date(now.getTime() - IDLE_CREDENTIAL_DAYS * DAY_MS);
    // Each credential's person: the identity's owner, or its backup owner when the owner has left.
    // An orphan with neither is in the security leads' orphan queue already.
    const rows = await tx.$queryRaw<CredentialReportRow[]>`
      WITH flagged AS (
        SELECT COALESCE(CASE WHEN o."active" THEN o."id" END, CASE WHEN b."active" THEN b."id" END) AS "userId",
               i."id" AS "identityId", i."name" || ' (' || i."environment"::text || ')' AS "identity", c."label", c."id",
               CASE WHEN c."rotationPeriodDays" IS NOT NULL
                     AND COALESCE(c."lastRotatedAt", c."issuedAt") + make_interval(days => c."rotationPeriodDays") < ${now}
                    THEN COALESCE(c."lastRotatedAt", c."issuedAt") + make_interval(days => c."rotationPeriodDays") END AS "rotationDueAt",
               CASE WHEN COALESCE(c."lastUsedAt", c."issuedAt") < ${idleBefore} THEN COALESCE(c."lastUsedAt", c."issuedAt") END AS "idleSince"
        FROM "Credential" c
        JOIN "AiIdentity" i ON i."id" = c."identityId"
        JOIN "User" o ON o."id" = i."ownerId"
        LEFT JOIN "User" b ON b."id" = i."backupOwnerId"
        WHERE c."status" = 'ACTIVE' AND i."status" = ANY(CAST(${LIVE_STATUSES} AS "IdentityStatus"[]))
      ), due AS (
        SELECT f.*, 'credential.attention:' || f."userId" || ':' || ${week} AS "key"
        FROM flagged f
        WHERE f."userId" IS NOT NULL AND (f."rotationDueAt" IS NOT NULL OR f."idleSince" IS NOT NULL)
      )
      SELECT d."key", d."userId", count(*)::int AS "total",
             (array_agg(json_build_object('identityId', d."identityId", 'identity', d."identity", 'label', d."label",
                                          'rotationDueAt', d."rotationDueAt", 'idleSince', d."idleSince")
                        ORDER BY d."identity", d."label", d."id"))[1:${CREDENTIALS_LISTED}] AS "listed"
      FROM due d
      WHERE NOT EXISTS (SELECT 1 FROM "LifecycleNotice" n WHERE n."key" = d."key")
      GROUP BY d."key", d."userId"
      ORDER BY d."userId"
      LIMIT ${limit}`;
    return rows.map((row) => {
      const lines = row.listed.map((credential) => {
        const why = [
          credential.rotationDueAt ? `rotation due since ${credential.rotationDueAt.slice(0, 10)}` : null,
          credential.idleSince ? `unused since ${credential.idleSince.slice(0, 10)}` : null,
        ].filter(Boolean);
        return `- ${credential.identity}: ${credential.label}, ${why.join(", ")}`;
      });
      const more = row.total > row.listed.length ? [`…and ${row.total - row.listed.length} more.`] : [];
      return {
        key: row.key,
        kind: "credential.attention" as const,
        subject: `${plural(row.total, "credential")} of yours need${row.total === 1 ? "s" : ""} rotating or retiring`,
        text: [
          `Credentials of identities you own that are past their rotation period or unused for ${IDLE_CREDENTIAL_DAYS} days (week of ${week}):`,
          ...lines,
          ...more,
          "Rotate the ones still in use and revoke the ones nothing uses.",
        ].join("\n"),
        link: "/tasks",
        recipientUserIds: [row.userId],
        data: { week, total: row.total },
      };
    });
  },
};

/** In the order a sweep runs them: a review's opening before its reminders, reminders before escalation. */
export const OCCASIONS: readonly Occasion[] = [
  reviewOpened,
  reviewDueSoon,
  reviewDueToday,
  reviewOverdue,
  reviewEscalated,
  identityExpiring,
  credentialAttention,
];

export const OCCASION_NAMES = OCCASIONS.map((occasion) => occasion.name) as [string, ...string[]];
