import { agentRoute } from "@/lib/api/agent-handler";
import { apiQuery, readQuery } from "@/lib/api/handler";
import { isAgentBearer } from "@/lib/auth/agent";
import { prisma } from "@/lib/db/client";
import { getApprovalRequest } from "@/lib/approvals/queries";
import { callApprovalStatus, callApprovalWaitQuery } from "@/lib/policy/bound-approval";

const forPeople = apiQuery("inventory:read", async ({ actor, params }) => getApprovalRequest(prisma, actor, params.id!));

/** An agent waits here on the request for one of its own calls (`?wait=30` holds the answer while it is pending). */
const forAgents = agentRoute(async ({ caller, request, params }) =>
  callApprovalStatus(prisma, caller.identityId, params.id!, readQuery(request, callApprovalWaitQuery).wait),
);

export const GET = (request: Request, context: { params: Promise<Record<string, string>> }) =>
  isAgentBearer(request.headers.get("authorization")) ? forAgents(request, context) : forPeople(request, context);
