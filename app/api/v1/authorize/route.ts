import { agentRoute } from "@/lib/api/agent-handler";
import { prisma } from "@/lib/db/client";
import { authorize } from "@/lib/policy/authorize";

/** An AI identity asks before acting: allow, deny or require_approval, with the policies and reasons, stored as a decision. */
export const POST = agentRoute(({ caller, body }) => authorize(prisma, caller, body));
