import { apiQuery } from "@/lib/api/handler";
import { prisma } from "@/lib/db/client";
import { findReview } from "@/lib/reviews/queries";

export const GET = apiQuery("inventory:read", async ({ params }) => findReview(prisma, params.id ?? ""));
