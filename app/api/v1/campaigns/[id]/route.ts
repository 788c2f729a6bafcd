import { apiQuery } from "@/lib/api/handler";
import { campaignDetail } from "@/lib/campaigns/queries";
import { prisma } from "@/lib/db/client";

export const GET = apiQuery("inventory:read", async ({ params }) => campaignDetail(prisma, params.id!));
