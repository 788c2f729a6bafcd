"use server";

import { mutationAction } from "@/lib/auth/action";
import { closeCampaign, nudgeCampaign } from "@/lib/campaigns/manage";
import { startCampaign } from "@/lib/campaigns/start";

export const startCampaignAction = mutationAction(startCampaign, {
  success: (result) =>
    `Started ${result.name}: ${result.created} reviews opened, ${result.joined} open reviews joined${
      result.inOtherCampaigns > 0 ? `, ${result.inOtherCampaigns} left in other campaigns` : ""
    }; ${result.notified} people told.`,
  revalidate: "/campaigns",
  returnResult: true,
});

export const nudgeCampaignAction = mutationAction(nudgeCampaign, {
  success: (result) =>
    `Nudged ${result.recipients} ${result.recipients === 1 ? "person" : "people"} about ${result.overdueReviews} overdue ${result.overdueReviews === 1 ? "review" : "reviews"}.`,
  revalidate: "/campaigns",
});

export const closeCampaignAction = mutationAction(closeCampaign, {
  success: (campaign) => `Closed ${campaign.name}. Its open reviews stay on their owners' lists.`,
  revalidate: "/campaigns",
});
