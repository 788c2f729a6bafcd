import { completeAccess } from "@/lib/access/requests";
import { agentRoute } from "@/lib/api/agent-handler";

/** The task is done: its token stops at once and its just-in-time grants end. */
export const POST = agentRoute(({ caller, params }) => completeAccess(caller, params.id!));
