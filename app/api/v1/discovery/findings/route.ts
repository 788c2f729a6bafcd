import { apiQuery, assertKnownParams, readQuery } from "@/lib/api/handler";
import { prisma } from "@/lib/db/client";
import { findFindingsPage, findingListParams } from "@/lib/discovery/queries";

/** The Discovered queue (view=open) or its history, as the caller may see it. */
export const GET = apiQuery("inventory:read", async ({ actor, request }) => {
  assertKnownParams(request, findingListParams);
  return findFindingsPage(prisma, actor, readQuery(request, findingListParams));
});
