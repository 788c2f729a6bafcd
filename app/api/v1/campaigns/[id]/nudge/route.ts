import { apiMutation, withPathParams } from "@/lib/api/handler";
import { nudgeCampaign } from "@/lib/campaigns/manage";

export const POST = apiMutation(nudgeCampaign, { input: withPathParams({ id: "campaignId" }) });
