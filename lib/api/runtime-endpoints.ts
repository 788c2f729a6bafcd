import { prisma } from "@/lib/db/client";
import { appUrl } from "@/lib/env";
import { recordEvents } from "@/lib/events/record";
import { authorize } from "@/lib/policy/authorize";
import {
  parseHookInput,
  postToolUseInput,
  preToolUseInput,
  toAuthorizeRequest,
  toPreToolUseOutput,
  toToolCallEvent,
  unjudgedOutput,
} from "@/lib/policy/claude-code";
import { findDecisionIdByCallId } from "@/lib/policy/decisions";
import { agentRoute } from "./agent-handler";

// The endpoints an AI identity calls around every tool call, by path. Their
// route files under app/api/v1 export these handlers; in production the
// runtime listener (lib/api/runtime-listener.ts) answers the same paths with
// the same handlers before a request reaches Next's router, which costs more
// than the work itself at the rates agents call them.

/** An AI identity asks before acting: allow, deny or require_approval, with the policies and reasons, stored as a decision. */
export const authorizeEndpoint = agentRoute(({ caller, body }) => authorize(prisma, caller, body));

/** An AI identity (or its gateway) reports tool calls, token uses and privileged actions: one event, or { events: [...] } of up to 1,000. */
export const eventsEndpoint = agentRoute(({ caller, body }) => recordEvents(prisma, caller, body), { status: 201 });

/** Claude Code's PreToolUse hook, as it sends it: judged like any authorize request, answered in the hook's own format. */
export const claudeCodePreToolUseEndpoint = agentRoute(
  async ({ caller, body }) => {
    const input = parseHookInput(preToolUseInput, body);
    return toPreToolUseOutput(await authorize(prisma, caller, toAuthorizeRequest(input)), appUrl());
  },
  { answerErrors: unjudgedOutput },
);

/** Claude Code's PostToolUse hook: the call that ran, recorded in the activity log with the decision that allowed it. */
export const claudeCodePostToolUseEndpoint = agentRoute(async ({ caller, body }) => {
  const input = parseHookInput(postToolUseInput, body);
  const decisionId = input.tool_use_id ? await findDecisionIdByCallId(prisma, caller.identityId, input.tool_use_id) : null;
  const recorded = await recordEvents(prisma, caller, toToolCallEvent(input, decisionId));
  // Claude Code reads nothing it needs from a PostToolUse answer; the flags are for people (Activity log).
  return { recorded: recorded.count, flags: recorded.flags.map((flag) => flag.kind) };
});

const NO_PARAMS = { params: Promise.resolve({}) };

/** What the runtime listener answers itself: POST to exactly these paths (none takes path parameters). */
export const RUNTIME_ENDPOINTS: Readonly<Record<string, (request: Request) => Promise<Response>>> = {
  "/api/v1/authorize": (request) => authorizeEndpoint(request, NO_PARAMS),
  "/api/v1/events": (request) => eventsEndpoint(request, NO_PARAMS),
  "/api/v1/hooks/claude-code/pre-tool-use": (request) => claudeCodePreToolUseEndpoint(request, NO_PARAMS),
  "/api/v1/hooks/claude-code/post-tool-use": (request) => claudeCodePostToolUseEndpoint(request, NO_PARAMS),
};
