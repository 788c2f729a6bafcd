import { apiQuery, assertKnownParams, readQuery } from "@/lib/api/handler";
import { prisma } from "@/lib/db/client";
import { replayPolicyVersion, replayQuery } from "@/lib/policy/replay";

/** What would change if this version judged the decisions recorded in the last `days` days (default 7). */
export const GET = apiQuery("policies:read", async ({ actor, request, params }) => {
  assertKnownParams(request, replayQuery);
  return replayPolicyVersion(prisma, actor, params.id!, readQuery(request, replayQuery));
});
