import { agentRoute } from "@/lib/api/agent-handler";
import { prisma } from "@/lib/db/client";
import { appUrl } from "@/lib/env";
import { authorize } from "@/lib/policy/authorize";
import { parseHookInput, preToolUseInput, toAuthorizeRequest, toPreToolUseOutput, unjudgedOutput } from "@/lib/policy/claude-code";

/** Claude Code's PreToolUse hook, as it sends it: judged like any authorize request, answered in the hook's own format. */
export const POST = agentRoute(
  async ({ caller, body }) => {
    const input = parseHookInput(preToolUseInput, body);
    return toPreToolUseOutput(await authorize(prisma, caller, toAuthorizeRequest(input)), appUrl());
  },
  { answerErrors: unjudgedOutput },
);
