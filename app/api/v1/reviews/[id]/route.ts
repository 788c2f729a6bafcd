import { apiQuery } from "@/lib/api/handler";
import { prisma } from "@/lib/db/client";
import { findReviewWithChanges } from "@/lib/reviews/changes-since";

export const GET = apiQuery("inventory:read", async ({ params }) => findReviewWithChanges(prisma, params.id ?? ""));
