import { apiMutation, withPathParams } from "@/lib/api/handler";
import { closeCampaign } from "@/lib/campaigns/manage";

export const POST = apiMutation(closeCampaign, { input: withPathParams({ id: "campaignId" }) });
