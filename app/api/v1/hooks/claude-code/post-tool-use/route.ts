import { agentRoute } from "@/lib/api/agent-handler";
import { prisma } from "@/lib/db/client";
import { recordEvents } from "@/lib/events";
import { findDecisionIdByCallId } from "@/lib/policy/decisions";
import { parseHookInput, postToolUseInput, toToolCallEvent } from "@/lib/policy/claude-code";

/** Claude Code's PostToolUse hook: the call that ran, recorded in the activity log with the decision that allowed it. */
export const POST = agentRoute(async ({ caller, body }) => {
  const input = parseHookInput(postToolUseInput, body);
  const decisionId = input.tool_use_id ? await findDecisionIdByCallId(prisma, caller.identityId, input.tool_use_id) : null;
  const recorded = await recordEvents(prisma, caller, toToolCallEvent(input, decisionId));
  // Claude Code reads nothing it needs from a PostToolUse answer; the flags are for people (Activity log).
  return { recorded: recorded.count, flags: recorded.flags.map((flag) => flag.kind) };
});
