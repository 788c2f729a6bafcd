import { authenticateAgent, type AgentCaller } from "@/lib/auth/agent";
import { toAppError, validationError } from "@/lib/errors";
import { screenRawInput } from "@/lib/validation/raw-input";
import { rateLimits } from "@/lib/rate-limit";
import { authenticateWithinAddressLimit, errorResponse, json, MAX_API_BODY_BYTES, readJsonBody } from "./http";

// The runtime endpoints AI identities call (authorize, access requests,
// events, the Claude Code hooks): authenticated by the identity's agent token
// or a JIT token rather than a person's API token, with their own rate limit
// per credential (an agent asks before every tool call). Nothing here depends
// on Next: in production the runtime listener (lib/api/runtime-listener.ts)
// calls these same handlers before Next's router is involved.

type RouteContext = { params: Promise<Record<string, string>> };

export interface AgentRequest {
  caller: AgentCaller;
  request: Request;
  params: Record<string, string>;
  /** The JSON body (an empty object for a bodiless request). */
  body: Record<string, unknown>;
}

/** The caller within the limits: per client address until it is known, then per credential. */
async function authenticateAgentWithinLimits(request: Request): Promise<AgentCaller> {
  const caller = await authenticateWithinAddressLimit(request, authenticateAgent);
  rateLimits.agent.take(caller.credential.id);
  return caller;
}

/**
 * A runtime endpoint: authenticate the identity, read the JSON body, answer
 * the result as JSON with `status` (200 unless given), or the error shape. A
 * handler whose status depends on the outcome returns `json(result, status)`.
 */
export function agentRoute(
  handle: (args: AgentRequest) => Promise<unknown>,
  options: {
    status?: number;
    /** For clients that ignore error statuses (Claude Code runs the tool on any non-2xx): the failure as a 200 answer. */
    answerErrors?: (error: unknown) => unknown;
  } = {},
) {
  return async (request: Request, context: RouteContext): Promise<Response> => {
    try {
      const caller = await authenticateAgentWithinLimits(request);
      const body = request.method === "GET" || request.method === "HEAD" ? {} : await readJsonBody(request);
      // An agent's call is taken as it is (a file it writes may be long, a command may hold anything), but
      // a NUL character cannot be stored and an absurd nesting would exhaust the stack: refused, named.
      const refused = screenRawInput(body, { secrets: false, maxFieldChars: MAX_API_BODY_BYTES });
      if (Object.keys(refused).length > 0) throw validationError(refused);
      const result = await handle({ caller, request, params: await context.params, body });
      return result instanceof Response ? result : json(result, options.status ?? 200);
    } catch (error) {
      if (!options.answerErrors) return errorResponse(error);
      if (!toAppError(error)) console.error("Runtime request failed", error);
      return json(options.answerErrors(error));
    }
  };
}
