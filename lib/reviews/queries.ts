import { z } from "zod";
import type { Db } from "@/lib/db/client";
import { findPageAfter } from "@/lib/db/cursor-page";
import type { Prisma } from "@/lib/db/generated/client";
import { ReviewStatus } from "@/lib/db/generated/enums";
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
} satisfies Prisma.ReviewInclude;

export type ReviewWithPeople = Prisma.ReviewGetPayload<{ include: typeof reviewInclude }>;

/** Reviews awaiting someone's attestation: open, on identities they own or back up; soonest due first. */
export function openReviewsOwedBy(userId: string): Prisma.ReviewWhereInput {
  return { status: "OPEN", identity: { OR: [{ ownerId: userId }, { backupOwnerId: userId }] } };
}

export function overdueReviews(now: Date): Prisma.ReviewWhereInput {
  return { status: "OPEN", dueAt: { lt: now } };
}

/** One review with its people; every reader of the inventory may see it. */
export async function findReview(db: Db, reviewId: string) {
  const review = await db.review.findUnique({ where: { id: reviewId }, include: reviewInclude });
  if (!review) throw notFound("That review");
  return review;
}

export async function findReviews(db: Db, where: Prisma.ReviewWhereInput, limit: number) {
  const [rows, total] = await Promise.all([
    db.review.findMany({ where, include: reviewInclude, orderBy: [{ dueAt: "asc" }, { id: "asc" }], take: limit }),
    db.review.count({ where }),
  ]);
  return { rows, total };
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
