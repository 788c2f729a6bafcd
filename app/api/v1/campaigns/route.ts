import { apiMutation, apiQuery } from "@/lib/api/handler";
import { listCampaigns } from "@/lib/campaigns/queries";
import { startCampaign } from "@/lib/campaigns/start";
import { prisma } from "@/lib/db/client";

/** Every review campaign, open ones first, with its progress. */
export const GET = apiQuery("inventory:read", async () => ({ campaigns: await listCampaigns(prisma) }));

/** Security leads: start a campaign over an inventory query string or a saved view. */
export const POST = apiMutation(startCampaign, { status: 201 });
