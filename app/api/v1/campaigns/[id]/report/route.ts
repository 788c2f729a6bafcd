import { apiQuery, assertKnownParams, readQuery } from "@/lib/api/handler";
import { downloadCampaignReport, reportQuery } from "@/lib/campaigns/report";
import { prisma } from "@/lib/db/client";

/** The campaign's report as CSV: its reviews (default) or, with ?part=events, its audit events. The download is audited. */
export const GET = apiQuery("inventory:read", async ({ actor, request, params }) => {
  assertKnownParams(request, reportQuery);
  const { part } = readQuery(request, reportQuery);
  return downloadCampaignReport(prisma, actor, params.id!, part);
});
