import { agentRoute } from "@/lib/api/agent-handler";
import { prisma } from "@/lib/db/client";
import { recordEvents } from "@/lib/events/record";

/** An AI identity (or its gateway) reports tool calls, token uses and privileged actions: one event, or { events: [...] } of up to 1,000. */
export const POST = agentRoute(({ caller, body }) => recordEvents(prisma, caller, body), { status: 201 });
