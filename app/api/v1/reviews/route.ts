import { apiMutation, apiQuery, assertKnownParams, cursorPageQuery, readQuery } from "@/lib/api/handler";
import { actorUserId } from "@/lib/inventory/access";
import { prisma } from "@/lib/db/client";
import { findReviewsAfter, reviewListQuery, reviewListWhere } from "@/lib/reviews/queries";
import { openReview } from "@/lib/reviews/reviews";

/** Reviews, soonest due first, paged by cursor: pass `nextCursor` back as `cursor`. */
export const GET = apiQuery("inventory:read", async ({ actor, request }) => {
  assertKnownParams(request, reviewListQuery, cursorPageQuery);
  const { limit, cursor } = readQuery(request, cursorPageQuery);
  const query = readQuery(request, reviewListQuery);
  const { rows, nextCursor } = await findReviewsAfter(prisma, reviewListWhere(query, actorUserId(actor), new Date()), cursor, limit);
  return { data: rows, nextCursor };
});

export const POST = apiMutation(openReview, { status: 201 });
