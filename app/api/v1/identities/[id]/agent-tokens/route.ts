import { apiMutation, withPathParams } from "@/lib/api/handler";
import { issueAgentToken } from "@/lib/auth/agent";

/** Issues the identity an agent token for the runtime endpoints; the secret is in this answer only. */
export const POST = apiMutation(issueAgentToken, { status: 201, input: withPathParams({ id: "identityId" }) });
