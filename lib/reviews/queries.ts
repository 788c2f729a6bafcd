import { z } from "zod";
import type { Db } from "@/lib/db/client";
import { findPageAfter } from "@/lib/db/cursor-page";
import { Prisma } from "@/lib/db/generated/client";
import { ReviewStatus, type Environment, type ReviewTrigger, type RiskTier } from "@/lib/db/generated/enums";
import { queryFlag } from "@/lib/validation/query-params";
import { notFound } from "@/lib/errors";

// Reading reviews: for the identity page, the owner's task list, the security
// leads' overdue list and the API.

const person = { select: { id: true, name: true, email: true } } as const;

export const reviewInclude = {
  identity: {
    select: { id: true, name: true, environment: true, status: true, riskTier: true, ownerId: true, backupOwnerId: true, owner: person },
  },
  openedBy: person,
  attestedBy: person,
  handoverFrom: person,
} satisfies Prisma.ReviewInclude;

export type ReviewWithPeople = Prisma.ReviewGetPayload<{ include: typeof reviewInclude }>;

/** Reviews awaiting someone's attestation: open, on identities they own or back up. An SQL condition on the review alias `r`. */
export function openReviewsOwedBySql(userId: string): Prisma.Sql {
  return Prisma.sql`r."status" = 'OPEN' AND r."identityId" IN (SELECT "id" FROM "AiIdentity" WHERE "ownerId" = ${userId} OR "backupOwnerId" = ${userId})`;
}

/**
 * Reviews security leads attest: open, on orphaned identities (owner
 * deactivated) with no active backup owner (lib/reviews/reviews.ts
 * leadsAttestFor). The orphans are found through the index on
 * ("orphanedAt", "name", "id"), a thousand or so on a large inventory; their
 * reviews through ("identityId", "status").
 */
export function orphanReviewsForLeadsSql(): Prisma.Sql {
  return Prisma.sql`r."status" = 'OPEN' AND r."identityId" IN (
    SELECT oi."id" FROM "AiIdentity" oi LEFT JOIN "User" b ON b."id" = oi."backupOwnerId"
    WHERE oi."orphanedAt" IS NOT NULL AND (b."id" IS NULL OR NOT b."active"))`;
}

export function overdueReviews(now: Date): Prisma.ReviewWhereInput {
  return { status: "OPEN", dueAt: { lt: now } };
}

/** The same rule as an SQL condition on the review alias `r` (for the task lists, see findReviewTasks). */
export function overdueReviewsSql(now: Date): Prisma.Sql {
  return Prisma.sql`r."status" = 'OPEN' AND r."dueAt" < ${now}`;
}

/** One review with its people; every reader of the inventory may see it. */
export async function findReview(db: Db, reviewId: string) {
  const review = await db.review.findUnique({ where: { id: reviewId }, include: reviewInclude });
  if (!review) throw notFound("That review");
  return review;
}

/** One line of a task list (My tasks): only what it shows, as plain values. */
export interface ReviewTask {
  id: string;
  identityId: string;
  identityName: string;
  environment: Environment;
  riskTier: RiskTier;
  /** The identity owner's name, or their email when they have none. */
  ownerLabel: string;
  /** ISO 8601, UTC. */
  dueAt: string;
  trigger: ReviewTrigger;
  reason: string | null;
  /** ISO 8601, UTC: when its owner was deactivated, if it is orphaned. */
  orphanedAt: string | null;
}

/**
 * The first `limit` reviews matching `where` (openReviewsOwedBySql,
 * orphanReviewsForLeadsSql or overdueReviewsSql), soonest due first, and how many match. One statement for
 * the rows and one for the count: loaded through Prisma's relations the same
 * list took six queries (the review, its identity, three people, the count),
 * a good part of My tasks' time on a large inventory.
 */
export async function findReviewTasks(db: Db, where: Prisma.Sql, limit: number): Promise<{ rows: ReviewTask[]; total: number }> {
  const [rows, [counted]] = await Promise.all([
    db.$queryRaw<(Omit<ReviewTask, "dueAt" | "orphanedAt"> & { dueAt: Date; orphanedAt: Date | null })[]>`
      SELECT r."id", r."identityId", i."name" AS "identityName", i."environment"::text AS "environment", i."riskTier"::text AS "riskTier",
             COALESCE(o."name", o."email") AS "ownerLabel", r."dueAt", r."trigger"::text AS "trigger", r."reason", i."orphanedAt"
      FROM "Review" r JOIN "AiIdentity" i ON i."id" = r."identityId" JOIN "User" o ON o."id" = i."ownerId"
      WHERE ${where}
      ORDER BY r."dueAt", r."id"
      LIMIT ${limit}`,
    db.$queryRaw<{ count: number }[]>`SELECT count(*)::int AS "count" FROM "Review" r WHERE ${where}`,
  ]);
  return {
    rows: rows.map((row) => ({ ...row, dueAt: row.dueAt.toISOString(), orphanedAt: row.orphanedAt?.toISOString() ?? null })),
    total: counted!.count,
  };
}

/** An identity's open review (if any) and its past ones, newest first. */
export async function findIdentityReviews(db: Db, identityId: string, historyLimit = 20) {
  const reviews = await db.review.findMany({
    where: { identityId },
    include: reviewInclude,
    orderBy: [{ openedAt: "desc" }, { id: "desc" }],
    take: historyLimit + 1,
  });
  const open = reviews.find((review) => review.status === "OPEN") ?? null;
  return { open, history: reviews.filter((review) => review.status !== "OPEN").slice(0, historyLimit) };
}

/** The API's list filters. */
export const reviewListQuery = z.object({
  status: z
    .enum(Object.values(ReviewStatus) as [ReviewStatus, ...ReviewStatus[]], {
      message: `must be one of ${Object.values(ReviewStatus).join(", ")}`,
    })
    .optional(),
  identityId: z.string().trim().min(1).optional(),
  /** Only reviews the caller owes (open or not) as owner or backup owner of the identity. */
  mine: queryFlag,
  overdue: queryFlag,
});

export type ReviewListQuery = z.output<typeof reviewListQuery>;

export function reviewListWhere(query: ReviewListQuery, userId: string | undefined, now: Date): Prisma.ReviewWhereInput {
  const and: Prisma.ReviewWhereInput[] = [];
  if (query.status) and.push({ status: query.status });
  if (query.identityId) and.push({ identityId: query.identityId });
  if (query.mine) and.push({ identity: { OR: [{ ownerId: userId ?? "" }, { backupOwnerId: userId ?? "" }] } });
  if (query.overdue) and.push(overdueReviews(now));
  return { AND: and };
}

/**
 * Cursor paging in due-date order (lib/db/cursor-page.ts): a cursor row that
 * has left the filter (attested meanwhile) still marks the place.
 */
export async function findReviewsAfter(db: Db, where: Prisma.ReviewWhereInput, cursor: string | undefined, limit: number) {
  return findPageAfter(
    cursor,
    limit,
    (page) => db.review.findMany({ where, include: reviewInclude, orderBy: [{ dueAt: "asc" }, { id: "asc" }], ...page }),
    async (id) => (await db.review.count({ where: { id } })) > 0,
  );
}
