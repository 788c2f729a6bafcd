import { apiQuery, assertKnownParams, cursorPageQuery, readQuery } from "@/lib/api/handler";
import { prisma } from "@/lib/db/client";
import { decisionListQuery, listDecisions } from "@/lib/policy/decisions";

/** Stored runtime decisions, newest first (or by `sort`/`dir`), filtered by identity, outcome, action, resource, policy, time and search. */
export const GET = apiQuery("policies:read", async ({ actor, request }) => {
  assertKnownParams(request, decisionListQuery, cursorPageQuery);
  const page = readQuery(request, cursorPageQuery);
  return listDecisions(prisma, actor, readQuery(request, decisionListQuery), page);
});
