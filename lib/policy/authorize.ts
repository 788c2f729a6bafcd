import { z } from "zod";
import { labelledContentHash } from "@/lib/audit/hash";
import type { AgentCaller } from "@/lib/auth/agent";
import type { ApprovalRequestSummary } from "@/lib/approvals/request";
import type { Db, Tx } from "@/lib/db/client";
import { AppError, fieldErrorsFromZod, notFound, validationError } from "@/lib/errors";
import { requiredText } from "@/lib/validation/inventory";
import { consumeApprovedCall, requestCallApproval, type BoundCall } from "./bound-approval";
import { evaluate, type Outcome, type PolicyDecision as Decision } from "./engine";
import { toCedarRequest, type PolicyRequest } from "./request";
import { SYSTEM_ACTIONS } from "./schema";
import { activePolicySet } from "./store";

// Judging one request of an identity at run time: read what the policies
// need from the inventory (the identity, its open reviews, the system and the
// identity's live grants on it), evaluate the active policy set, and store
// the decision. The authorize API and its adapters call this; they
// authenticate the identity first.

export const authorizeInput = z.discriminatedUnion(
  "action",
  [
    z.object({
      action: z.enum(SYSTEM_ACTIONS),
      systemId: requiredText(64),
      taskId: requiredText(200).optional(),
      taskIntent: requiredText(2000).optional(),
    }),
    z.object({
      action: z.literal("call_tool"),
      tool: z.object({
        name: requiredText(200),
        /** The call's arguments as the agent sent them; hashed, and the command or path read for policies. */
        arguments: z.record(z.string(), z.unknown()).default({}),
      }),
      /** The environment the call acts on, when the caller knows it. */
      targetEnvironment: z.enum(["DEV", "STAGING", "PROD"], { message: "must be DEV, STAGING or PROD" }).optional(),
      /** The client's id for this one call (Claude Code's tool_use_id): the report of what the call did names it. */
      callId: requiredText(200).optional(),
      taskId: requiredText(200).optional(),
      taskIntent: requiredText(2000).optional(),
    }),
  ],
  { error: () => "must be one of read, write, deploy, admin, call_tool" },
);

export type AuthorizeInput = z.input<typeof authorizeInput>;

export interface AuthorizeCaller extends Pick<AgentCaller, "identityId" | "credential" | "jit"> {
  /** A human approved this exact call (checked by the caller against a bound approval request). */
  humanApproved?: boolean;
}

export interface AuthorizeAnswer {
  decisionId: string;
  outcome: Outcome;
  policyIds: string[];
  reasons: string[];
  policyVersion: number;
  /** For require_approval: the request a human decides, bound to this exact call (absent when approvals of calls are off). */
  approvalRequest?: ApprovalRequestSummary;
  /** For a call allowed because a human approved this exact call: that request (now used up). */
  approvedBy?: { approvalRequestId: string };
}

/** SHA-256 of a tool call's canonical arguments: the same call hashes the same however its keys were ordered. */
export function argumentsHash(toolName: string, args: Record<string, unknown>): string {
  return labelledContentHash(toolName, args);
}

/** The string argument a policy reads as the command or path, whatever the tool calls it. */
function stringArgument(args: Record<string, unknown>, names: string[]): string | undefined {
  for (const name of names) if (typeof args[name] === "string") return args[name] as string;
  return undefined;
}

/**
 * Why a just-in-time token does not cover this request, or null: it acts on
 * the one system and the actions it was issued for, nothing else, whatever
 * the policies would allow the identity with its other credentials.
 */
function outsideJitScope(caller: AuthorizeCaller, input: z.output<typeof authorizeInput>): string | null {
  if (!caller.jit || input.action === "call_tool") return null;
  if (input.systemId !== caller.jit.systemId) return "The just-in-time token was issued for another system.";
  if (!caller.jit.actions.includes(input.action)) return `The just-in-time token does not cover ${input.action}.`;
  return null;
}

export async function authorize(db: Db, caller: AuthorizeCaller, rawInput: unknown, now = new Date()): Promise<AuthorizeAnswer> {
  const started = process.hrtime.bigint();
  const parsed = authorizeInput.safeParse(rawInput);
  if (!parsed.success) throw validationError(fieldErrorsFromZod(parsed.error));
  const input = parsed.data;

  const identity = await db.aiIdentity.findUnique({
    where: { id: caller.identityId },
    select: { id: true, kind: true, environment: true, autonomy: true, status: true, riskTier: true, ownerId: true, teamId: true },
  });
  if (!identity) throw notFound("That identity");
  const overdueReview = await db.review.findFirst({
    where: { identityId: identity.id, status: "OPEN", dueAt: { lt: now } },
    select: { id: true },
  });
  const policyIdentity = { ...identity, reviewOverdue: overdueReview !== null };
  const common = {
    identity: policyIdentity,
    now,
    credential: caller.credential,
    humanApproved: caller.humanApproved ?? false,
    taskId: input.taskId,
    taskIntent: input.taskIntent,
  };

  let request: PolicyRequest;
  let resource: { type: "System" | "Tool"; id: string; label: string };
  let hash: string | null = null;
  if (input.action === "call_tool") {
    const args = input.tool.arguments;
    hash = argumentsHash(input.tool.name, args);
    request = {
      ...common,
      action: "call_tool",
      tool: {
        name: input.tool.name,
        command: stringArgument(args, ["command", "cmd"]),
        path: stringArgument(args, ["file_path", "path", "notebook_path"]),
        argumentsHash: hash,
      },
      targetEnvironment: input.targetEnvironment,
    };
    resource = { type: "Tool", id: input.tool.name, label: input.tool.name };
  } else {
    const system = await db.system.findUnique({
      where: { id: input.systemId },
      select: { id: true, name: true, kind: true, environment: true, sensitivity: true, ownerId: true },
    });
    if (!system)
      throw new AppError("validation_failed", "That system is not in the inventory.", { systemId: "must be a system in the inventory" });
    const grants = await db.grant.findMany({
      where: { identityId: identity.id, systemId: system.id, revokedAt: null, OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] },
      select: { permission: true },
    });
    request = { ...common, action: input.action, system, grantedPermissions: [...new Set(grants.map((grant) => grant.permission))] };
    resource = { type: "System", id: system.id, label: `${system.name} (${system.environment})` };
  }

  const policies = await activePolicySet(db);
  const outsideToken = outsideJitScope(caller, input);
  const judge = (humanApproved: boolean) =>
    outsideToken
      ? { outcome: "deny" as const, policyIds: [], reasons: [outsideToken] }
      : evaluate(policies, toCedarRequest({ ...request, humanApproved }));
  const first = judge(request.humanApproved);
  const call: BoundCall = {
    identityId: identity.id,
    action: input.action,
    resourceType: resource.type,
    resourceId: resource.id,
    ...(input.action === "call_tool" ? { arguments: input.tool.arguments } : {}),
    argumentsHash: hash,
  };

  // Most requests are allowed or denied outright: one insert, no transaction.
  // One that needs a human uses up an approval of this exact call if there is
  // one, or opens (or finds) the request for it, with its decision, atomically.
  const store = async (tx: Db | Tx, decision: Decision, extra: { humanApproved: boolean; approvalRequestId: string | null }) =>
    tx.policyDecision.create({
      data: {
        identityId: identity.id,
        action: input.action,
        resourceType: resource.type,
        resourceId: resource.id,
        argumentsHash: hash,
        taskId: input.taskId ?? null,
        taskIntent: input.taskIntent ?? null,
        callId: input.action === "call_tool" ? (input.callId ?? null) : null,
        outcome: decision.outcome === "allow" ? "ALLOW" : decision.outcome === "deny" ? "DENY" : "REQUIRE_APPROVAL",
        policyIds: decision.policyIds,
        reasons: decision.reasons,
        policyVersionId: policies.key,
        credentialKind: caller.credential.kind,
        credentialId: caller.credential.id,
        humanApproved: extra.humanApproved,
        approvalRequestId: extra.approvalRequestId,
        latencyMicros: Number((process.hrtime.bigint() - started) / 1000n),
        createdAt: now,
      },
      select: { id: true },
    });
  if (first.outcome !== "require_approval") {
    const stored = await store(db, first, { humanApproved: request.humanApproved, approvalRequestId: null });
    return { decisionId: stored.id, ...first, policyVersion: policies.number };
  }
  return db.$transaction(async (tx) => {
    const approved = await consumeApprovedCall(tx, call, now);
    if (approved) {
      const decision = judge(true);
      const stored = await store(tx, decision, { humanApproved: true, approvalRequestId: approved.approvalRequestId });
      return {
        decisionId: stored.id,
        ...decision,
        policyVersion: policies.number,
        approvedBy: { approvalRequestId: approved.approvalRequestId },
      };
    }
    const approvalRequest = await requestCallApproval(tx, {
      ...call,
      resourceLabel: resource.label,
      reasons: first.reasons,
      taskIntent: input.taskIntent,
      decisionHint: input.action === "call_tool" ? "tool call" : `${input.action}`,
    });
    const stored = await store(tx, first, { humanApproved: false, approvalRequestId: approvalRequest?.id ?? null });
    return { decisionId: stored.id, ...first, policyVersion: policies.number, ...(approvalRequest ? { approvalRequest } : {}) };
  });
}
