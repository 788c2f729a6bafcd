import { apiQuery } from "@/lib/api/handler";
import { prisma } from "@/lib/db/client";
import { notFound } from "@/lib/errors";
import { reviewInclude } from "@/lib/reviews/queries";

export const GET = apiQuery("inventory:read", async ({ params }) => {
  const review = await prisma.review.findUnique({ where: { id: params.id }, include: reviewInclude });
  if (!review) throw notFound("That review");
  return review;
});
