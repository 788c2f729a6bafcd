import { z } from "zod";
import { AppError, fieldErrorsFromZod, toAppError } from "@/lib/errors";
import { requiredText } from "@/lib/validation/inventory";
import type { AuthorizeAnswer } from "./authorize";

// Claude Code's hooks, as Claude Code sends and reads them
// (https://code.claude.com/docs/en/hooks): a PreToolUse hook receives the
// call before it runs and answers allow, deny or ask; a PostToolUse hook
// receives the call and its result afterwards. An HTTP hook POSTs the same
// JSON a command hook reads on stdin, and reads the same JSON back.
//
// Claude Code treats a non-2xx answer (and a timeout) as a non-blocking error
// and runs the tool anyway, so every answer here is a 200 with a decision:
// when Warrant cannot judge the call (bad token, bad input, rate limit) the
// call is denied, with the reason, rather than let through unjudged.

/** The fields Warrant reads; Claude Code sends more (transcript_path, permission_mode, …), which are ignored. */
export const preToolUseInput = z.object({
  session_id: requiredText(200),
  cwd: z.string().max(4000).optional(),
  hook_event_name: z.literal("PreToolUse", { message: "must be PreToolUse (this is the PreToolUse endpoint)" }).optional(),
  tool_name: requiredText(200),
  tool_input: z.record(z.string(), z.unknown(), { message: "must be an object (the tool's arguments)" }),
  tool_use_id: requiredText(200).optional(),
});

export const postToolUseInput = preToolUseInput.extend({
  hook_event_name: z.literal("PostToolUse", { message: "must be PostToolUse (this is the PostToolUse endpoint)" }).optional(),
  tool_response: z.unknown().optional(),
});

export type PreToolUseInput = z.output<typeof preToolUseInput>;

export function parseHookInput<Schema extends z.ZodType>(schema: Schema, body: unknown): z.output<Schema> {
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    throw new AppError("validation_failed", "That is not a Claude Code hook input.", fieldErrorsFromZod(parsed.error));
  }
  return parsed.data;
}

/** The hook's call as a request to the authorize API: the tool, its arguments as sent, the session as the task. */
export function toAuthorizeRequest(input: PreToolUseInput) {
  return {
    action: "call_tool" as const,
    tool: { name: input.tool_name, arguments: input.tool_input },
    callId: input.tool_use_id,
    taskId: input.session_id,
    ...(input.cwd ? { taskIntent: `Claude Code session in ${input.cwd}` } : {}),
  };
}

type PermissionDecision = "allow" | "deny" | "ask";

export interface PreToolUseOutput {
  hookSpecificOutput: { hookEventName: "PreToolUse"; permissionDecision: PermissionDecision; permissionDecisionReason: string };
}

function preToolUseOutput(permissionDecision: PermissionDecision, reason: string): PreToolUseOutput {
  return { hookSpecificOutput: { hookEventName: "PreToolUse", permissionDecision, permissionDecisionReason: reason } };
}

/**
 * Warrant's answer in Claude Code's terms. A call that waits for approval is
 * denied for now, with where the request is and that the identical call will
 * pass once approved (Claude shows the reason and can retry). When no request
 * could be opened (approvals of agents' calls are switched off), the person
 * at the keyboard is asked instead.
 */
export function toPreToolUseOutput(answer: AuthorizeAnswer, appUrl: string): PreToolUseOutput {
  const reasons = answer.reasons.join(" ");
  const decided = `Warrant decision ${answer.decisionId}`;
  switch (answer.outcome) {
    case "allow":
      return preToolUseOutput("allow", answer.approvedBy ? `${decided}: approved by a human for this exact call.` : `${decided}: allowed.`);
    case "deny":
      return preToolUseOutput("deny", `${decided}: denied. ${reasons}`.trim());
    case "require_approval": {
      if (!answer.approvalRequest) return preToolUseOutput("ask", `${decided}: needs a human's approval. ${reasons}`.trim());
      const link = new URL(answer.approvalRequest.link, appUrl).toString();
      return preToolUseOutput(
        "deny",
        `${decided}: needs approval (${reasons}) Approval requested: ${link}. ` +
          "Once it is approved, retry this exact call (same arguments) and it will be allowed once.",
      );
    }
  }
}

/** When Warrant could not judge the call: denied, saying why, so a broken setup never lets calls through unjudged. */
export function unjudgedOutput(error: unknown): PreToolUseOutput {
  const known = toAppError(error);
  const fields = known?.fields
    ? ` (${Object.entries(known.fields)
        .map(([field, problem]) => `${field} ${problem}`)
        .join("; ")})`
    : "";
  const why = known ? `${known.message}${fields}` : "Warrant failed to judge this call.";
  return preToolUseOutput("deny", `Warrant could not judge this call, so it is denied: ${why}`);
}

export type PostToolUseInput = z.output<typeof postToolUseInput>;

/**
 * What Claude Code reports after a call ran, as an activity event: the tool,
 * its arguments (hashed, never stored), the session, and the decision that
 * allowed it, found by the tool_use_id the PreToolUse hook stored. A call
 * with no such decision is still recorded, and flagged for it. The tool's
 * output is not kept: it can hold anything the tool read.
 */
export function toToolCallEvent(input: PostToolUseInput, decisionId: string | null) {
  const response = input.tool_response;
  const failed =
    typeof response === "object" && response !== null && ("error" in response || (response as { success?: unknown }).success === false);
  return {
    kind: "tool_call" as const,
    tool: input.tool_name,
    arguments: input.tool_input,
    ...(decisionId ? { decisionId } : {}),
    result: failed ? ("failure" as const) : ("success" as const),
    sessionId: input.session_id,
    ...(input.tool_use_id ? { detail: { toolUseId: input.tool_use_id } } : {}),
  };
}
