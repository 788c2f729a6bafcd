import { apiQuery, assertKnownParams, cursorPageQuery, readQuery } from "@/lib/api/handler";
import { prisma } from "@/lib/db/client";
import { approvalListQuery, listApprovalRequests } from "@/lib/approvals/queries";

/** Approval requests: `view=waiting` (for my decision, oldest first), `mine`, `all`, `history` (newest first, or by `sort`/`dir`), with filters. */
export const GET = apiQuery("inventory:read", async ({ actor, request }) => {
  assertKnownParams(request, approvalListQuery, cursorPageQuery);
  const page = readQuery(request, cursorPageQuery);
  return listApprovalRequests(prisma, actor, readQuery(request, approvalListQuery), page);
});
