import { getAccessRequest } from "@/lib/access/requests";
import { agentRoute } from "@/lib/api/agent-handler";

/** The request's state, to its own identity; the first read after approval hands out the token. */
export const GET = agentRoute(({ caller, params }) => getAccessRequest(caller, params.id!));
