import { requestAccess } from "@/lib/access/requests";
import { agentRoute } from "@/lib/api/agent-handler";
import { json } from "@/lib/api/handler";

/** An AI identity asks for task-scoped access: 201 with a token, 202 waiting for approval, 403 with the policies' reasons. */
export const POST = agentRoute(async ({ caller, body }) => {
  const { status, body: answer } = await requestAccess(caller, body);
  return json(answer, status);
});
