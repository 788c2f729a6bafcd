import type { DbOrTx } from "@/lib/db/client";
import { Prisma } from "@/lib/db/generated/client";
import type { CampaignStatus } from "@/lib/db/generated/enums";
import { notFound } from "@/lib/errors";
import { DAY_MS } from "@/lib/time";

// Reading campaigns: the list, one campaign's progress (by owner, by team, day
// by day) and its reviews. Everyone who reads the inventory reads campaigns:
// owners see what is asked of them and auditors what was asked of everyone.
//
// A review's state in a campaign is read "as of" a moment: now while the
// campaign is open, its closing time once closed. So a closed campaign's
// numbers stay what they were when it closed (what it achieved), while its
// reviews, still owed, go on being attested on their owners' lists.

export type ReviewState = "ATTESTED" | "PENDING" | "OVERDUE" | "CANCELLED";

export interface Progress {
  total: number;
  attested: number;
  pending: number;
  overdue: number;
  /** Closed without attestation: the identity was retired or revoked meanwhile. */
  cancelled: number;
}

/** The state of the review alias `r` as of `asOf` (an SQL expression giving a timestamptz). */
function stateSql(asOf: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`CASE WHEN r."status" = 'COMPLETED' AND r."closedAt" <= ${asOf} THEN 'ATTESTED'
    WHEN r."status" = 'CANCELLED' AND r."closedAt" <= ${asOf} THEN 'CANCELLED'
    WHEN r."dueAt" < ${asOf} THEN 'OVERDUE' ELSE 'PENDING' END`;
}

const countsSql = (asOf: Prisma.Sql) => Prisma.sql`count(*)::int AS "total",
  count(*) FILTER (WHERE ${stateSql(asOf)} = 'ATTESTED')::int AS "attested",
  count(*) FILTER (WHERE ${stateSql(asOf)} = 'PENDING')::int AS "pending",
  count(*) FILTER (WHERE ${stateSql(asOf)} = 'OVERDUE')::int AS "overdue",
  count(*) FILTER (WHERE ${stateSql(asOf)} = 'CANCELLED')::int AS "cancelled"`;

const EMPTY: Progress = { total: 0, attested: 0, pending: 0, overdue: 0, cancelled: 0 };

/** The moment a campaign's numbers are read at: its closing, or now. */
export function asOfFor(campaign: { closedAt: Date | null }, now = new Date()): Date {
  return campaign.closedAt ?? now;
}

export async function campaignProgress(db: DbOrTx, campaign: { id: string; closedAt: Date | null }, now = new Date()): Promise<Progress> {
  const asOf = Prisma.sql`${asOfFor(campaign, now)}::timestamptz`;
  const [row] = await db.$queryRaw<Progress[]>`SELECT ${countsSql(asOf)} FROM "Review" r WHERE r."campaignId" = ${campaign.id}`;
  return row ?? EMPTY;
}

const person = { select: { id: true, name: true, email: true } } as const;

export interface CampaignListItem {
  id: string;
  name: string;
  status: CampaignStatus;
  dueAt: Date;
  createdAt: Date;
  closedAt: Date | null;
  createdBy: string;
  savedViewName: string | null;
  progress: Progress;
}

/** Every campaign, open ones first, newest first, with its progress (one statement for all the counts). */
export async function listCampaigns(db: DbOrTx, now = new Date()): Promise<CampaignListItem[]> {
  const campaigns = await db.reviewCampaign.findMany({
    orderBy: [{ status: "asc" }, { createdAt: "desc" }, { id: "desc" }],
    include: { createdBy: person },
  });
  const counts = await db.$queryRaw<(Progress & { campaignId: string })[]>`
    SELECT r."campaignId", ${countsSql(Prisma.sql`COALESCE(c."closedAt", ${now}::timestamptz)`)}
    FROM "Review" r JOIN "ReviewCampaign" c ON c."id" = r."campaignId"
    GROUP BY r."campaignId"`;
  const byCampaign = new Map(counts.map(({ campaignId, ...progress }) => [campaignId, progress]));
  return campaigns.map((campaign) => ({
    id: campaign.id,
    name: campaign.name,
    status: campaign.status,
    dueAt: campaign.dueAt,
    createdAt: campaign.createdAt,
    closedAt: campaign.closedAt,
    createdBy: campaign.createdBy.name ?? campaign.createdBy.email,
    savedViewName: campaign.savedViewName,
    progress: byCampaign.get(campaign.id) ?? EMPTY,
  }));
}

export async function findCampaign(db: DbOrTx, id: string) {
  const campaign = await db.reviewCampaign.findUnique({ where: { id }, include: { createdBy: person, closedBy: person } });
  if (!campaign) throw notFound("That campaign");
  return campaign;
}

export type Campaign = Awaited<ReturnType<typeof findCampaign>>;

export interface GroupProgress extends Progress {
  /** The owner's or team's id; null for identities without a team. */
  id: string | null;
  label: string;
}

/** How many groups the page lists; the rest are summed in the report. */
export const GROUP_LIMIT = 50;

/** Progress by identity owner (or team), most overdue first. */
export async function campaignProgressBy(
  db: DbOrTx,
  campaign: { id: string; closedAt: Date | null },
  by: "owner" | "team",
  now = new Date(),
  limit = GROUP_LIMIT,
): Promise<{ rows: GroupProgress[]; groups: number }> {
  const asOf = Prisma.sql`${asOfFor(campaign, now)}::timestamptz`;
  const key = by === "owner" ? Prisma.sql`i."ownerId"` : Prisma.sql`i."teamId"`;
  const label = by === "owner" ? Prisma.sql`COALESCE(MIN(o."name"), MIN(o."email"))` : Prisma.sql`COALESCE(MIN(i."teamName"), 'No team')`;
  const rows = await db.$queryRaw<(GroupProgress & { groups: number })[]>`
    SELECT ${key} AS "id", ${label} AS "label", ${countsSql(asOf)}, count(*) OVER ()::int AS "groups"
    FROM "Review" r JOIN "AiIdentity" i ON i."id" = r."identityId" JOIN "User" o ON o."id" = i."ownerId"
    WHERE r."campaignId" = ${campaign.id}
    GROUP BY ${key}
    ORDER BY "overdue" DESC, "pending" DESC, "label" ASC, "id" ASC
    LIMIT ${limit}`;
  const groups = rows[0]?.groups ?? 0;
  for (const row of rows) delete (row as Partial<typeof row>).groups;
  return { rows, groups };
}

export interface BurndownPoint {
  /** The UTC day, YYYY-MM-DD. */
  day: string;
  /** Reviews still open at the end of that day (or at the moment read, for today); null for days still to come. */
  open: number | null;
  /** A straight line from every review open at the start to none on the due date; null past it. */
  ideal: number | null;
}

const dayStart = (date: Date) => Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate());

/** Reviews still open, day by day, from the campaign's start to its due date (or to today, if later). */
export async function campaignBurndown(
  db: DbOrTx,
  campaign: { id: string; createdAt: Date; dueAt: Date; closedAt: Date | null },
  now = new Date(),
): Promise<BurndownPoint[]> {
  const asOf = asOfFor(campaign, now);
  const [totals] = await db.$queryRaw<
    { total: number }[]
  >`SELECT count(*)::int AS "total" FROM "Review" WHERE "campaignId" = ${campaign.id}`;
  const closedByDay = await db.$queryRaw<{ day: Date; closed: number }[]>`
    SELECT date_trunc('day', "closedAt" AT TIME ZONE 'UTC') AS "day", count(*)::int AS "closed"
    FROM "Review" WHERE "campaignId" = ${campaign.id} AND "closedAt" IS NOT NULL AND "closedAt" <= ${asOf}
    GROUP BY 1`;
  const total = totals?.total ?? 0;
  const closed = new Map(closedByDay.map((row) => [dayStart(row.day), row.closed]));
  const first = dayStart(campaign.createdAt);
  const due = dayStart(campaign.dueAt);
  const last = Math.max(due, dayStart(asOf));
  const span = Math.max(1, (due - first) / DAY_MS);
  const points: BurndownPoint[] = [];
  // Reviews closed before the campaign started (none, unless one joined and was attested the same day) count on the first day.
  let done = [...closed.entries()].filter(([day]) => day < first).reduce((sum, [, count]) => sum + count, 0);
  for (let day = first; day <= last; day += DAY_MS) {
    done += closed.get(day) ?? 0;
    const index = (day - first) / DAY_MS;
    points.push({
      day: new Date(day).toISOString().slice(0, 10),
      open: day <= dayStart(asOf) ? total - done : null,
      ideal: day <= due ? Math.round(total * (1 - index / span) * 10) / 10 : null,
    });
  }
  return points;
}

export interface CampaignReviewRow {
  id: string;
  identityId: string;
  identityName: string;
  environment: string;
  ownerLabel: string;
  ownerEmail: string;
  teamName: string | null;
  state: ReviewState;
  outcome: string | null;
  attestedBy: string | null;
  attestedAt: Date | null;
  dueAt: Date;
  trigger: string;
}

function reviewRowsSql(campaign: { id: string; closedAt: Date | null }, now: Date, tail: Prisma.Sql): Prisma.Sql {
  const asOf = Prisma.sql`${asOfFor(campaign, now)}::timestamptz`;
  // The attestation as the state reads it: one made after a closed campaign's end is not the campaign's.
  const attested = Prisma.sql`${stateSql(asOf)} = 'ATTESTED'`;
  return Prisma.sql`
    SELECT r."id", r."identityId", i."name" AS "identityName", i."environment"::text AS "environment",
           COALESCE(o."name", o."email") AS "ownerLabel", o."email" AS "ownerEmail", i."teamName",
           ${stateSql(asOf)} AS "state",
           CASE WHEN ${attested} THEN r."outcome"::text END AS "outcome",
           CASE WHEN ${attested} THEN COALESCE(a."name", a."email") END AS "attestedBy",
           CASE WHEN ${attested} THEN r."closedAt" END AS "attestedAt",
           r."dueAt", r."trigger"::text AS "trigger"
    FROM "Review" r
    JOIN "AiIdentity" i ON i."id" = r."identityId"
    JOIN "User" o ON o."id" = i."ownerId"
    LEFT JOIN "User" a ON a."id" = r."attestedById"
    WHERE r."campaignId" = ${campaign.id} ${tail}`;
}

export const REVIEWS_PAGE_SIZE = 100;

/** One page of the campaign's reviews: overdue first, then pending, attested and cancelled; soonest due first within each. */
export async function campaignReviewsPage(db: DbOrTx, campaign: { id: string; closedAt: Date | null }, page: number, now = new Date()) {
  const asOf = Prisma.sql`${asOfFor(campaign, now)}::timestamptz`;
  const order = Prisma.sql`ORDER BY array_position(ARRAY['OVERDUE', 'PENDING', 'ATTESTED', 'CANCELLED'], ${stateSql(asOf)}), r."dueAt", r."id"`;
  const rows = await db.$queryRaw<CampaignReviewRow[]>(
    reviewRowsSql(campaign, now, Prisma.sql`${order} LIMIT ${REVIEWS_PAGE_SIZE} OFFSET ${(page - 1) * REVIEWS_PAGE_SIZE}`),
  );
  return rows;
}

/** Every review of the campaign in batches (for the CSV report), in id order: memory stays flat for a large campaign. */
export async function* streamCampaignReviews(
  db: DbOrTx,
  campaign: { id: string; closedAt: Date | null },
  now = new Date(),
  batchSize = 2000,
): AsyncGenerator<CampaignReviewRow> {
  let after = "";
  for (;;) {
    const rows = await db.$queryRaw<CampaignReviewRow[]>(
      reviewRowsSql(campaign, now, Prisma.sql`AND r."id" > ${after} ORDER BY r."id" LIMIT ${batchSize}`),
    );
    yield* rows;
    if (rows.length < batchSize) return;
    after = rows.at(-1)!.id;
  }
}

/** The campaign's own audit events (started, nudged, closed, report downloads), oldest first. */
export async function campaignEvents(db: DbOrTx, campaignId: string) {
  return db.auditEvent.findMany({
    where: { targetType: "campaign", targetId: campaignId },
    orderBy: { seq: "asc" },
    select: { seq: true, occurredAt: true, action: true, actorType: true, actorLabel: true, data: true, hash: true },
  });
}

/** One campaign as its page and the API show it: its progress overall, by owner and team, day by day, and its first reviews. */
export async function campaignDetail(db: DbOrTx, id: string, page = 1, now = new Date()) {
  const campaign = await findCampaign(db, id);
  const [progress, byOwner, byTeam, burndown, reviews] = await Promise.all([
    campaignProgress(db, campaign, now),
    campaignProgressBy(db, campaign, "owner", now),
    campaignProgressBy(db, campaign, "team", now),
    campaignBurndown(db, campaign, now),
    campaignReviewsPage(db, campaign, page, now),
  ]);
  return {
    id: campaign.id,
    name: campaign.name,
    message: campaign.message,
    status: campaign.status,
    query: campaign.query,
    savedViewName: campaign.savedViewName,
    dueAt: campaign.dueAt,
    createdAt: campaign.createdAt,
    createdBy: campaign.createdBy,
    closedAt: campaign.closedAt,
    closedBy: campaign.closedBy,
    lastNudgedAt: campaign.lastNudgedAt,
    /** When the figures are read: now, or the closing. */
    asOf: asOfFor(campaign, now),
    progress,
    byOwner,
    byTeam,
    burndown,
    reviews,
  };
}

export type CampaignDetail = Awaited<ReturnType<typeof campaignDetail>>;
