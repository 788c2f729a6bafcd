import { z } from "zod";
import { labelledContentHash } from "@/lib/audit/hash";
import type { AgentCaller } from "@/lib/auth/agent";
import type { ApprovalRequestSummary } from "@/lib/approvals/request";
import type { Db, Tx } from "@/lib/db/client";
import { runtimeQuery } from "@/lib/db/runtime-pool";
import type { Prisma } from "@/lib/db/generated/client";
import { AppError, fieldErrorsFromZod, notFound, validationError } from "@/lib/errors";
import { redactSecrets, redactSecretsIn } from "@/lib/security/secret-detector";
import { requiredText } from "@/lib/validation/inventory";
import { storeDecision, type DecisionRow } from "./decision-writer";
import { consumeApprovedCall, requestCallApproval, type BoundCall } from "./bound-approval";
import { evaluate, type CedarRequest, type Outcome, type PolicyDecision as Decision } from "./engine";
import { toCedarRequest, type PolicyIdentity, type PolicyRequest } from "./request";
import { SYSTEM_ACTIONS } from "./schema";
import { ACTIVE_POLICY_VERSION_ID_SQL, policySetOfActiveVersion } from "./store";

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

/** What the caller is told of a judgement: not the Cedar request it was made on. */
function verdict({ outcome, policyIds, reasons }: Decision): Decision {
  return { outcome, policyIds, reasons };
}

/** The identity's row as policies see it, with the system acted on, the live grants on it and the active version. */
interface InventoryRow extends PolicyIdentity {
  activeVersionId: string | null;
  systemId: string | null;
  systemName: string | null;
  systemKind: string | null;
  systemEnvironment: string | null;
  systemSensitivity: string | null;
  systemOwnerId: string | null;
  granted: string[];
}

/**
 * Everything a judgement reads, in one statement through the runtime pool (an
 * agent asks before every tool call, so each round trip counts): the
 * identity, whether a review of it is overdue, the system acted on with the identity's live grants on it, and
 * the active policy version's id. Null when there is no such identity.
 */
async function readInventory(identityId: string, systemId: string | null, now: Date) {
  const [row] = await runtimeQuery<InventoryRow>(
    "authorize-inventory",
    `SELECT i."id", i."kind"::text AS "kind", i."environment"::text AS "environment", i."autonomy"::text AS "autonomy",
            i."status"::text AS "status", i."riskTier"::text AS "riskTier", i."ownerId", i."teamId",
            EXISTS (SELECT 1 FROM "Review" r WHERE r."identityId" = i."id" AND r."status" = 'OPEN' AND r."dueAt" < $3) AS "reviewOverdue",
            ${ACTIVE_POLICY_VERSION_ID_SQL} AS "activeVersionId",
            s."id" AS "systemId", s."name" AS "systemName", s."kind"::text AS "systemKind", s."environment"::text AS "systemEnvironment",
            s."sensitivity"::text AS "systemSensitivity", s."ownerId" AS "systemOwnerId",
            ARRAY(SELECT DISTINCT g."permission"::text FROM "Grant" g
                  WHERE g."identityId" = i."id" AND g."systemId" = s."id" AND g."revokedAt" IS NULL
                    AND (g."expiresAt" IS NULL OR g."expiresAt" > $3)) AS "granted"
     FROM "AiIdentity" i LEFT JOIN "System" s ON s."id" = $2
     WHERE i."id" = $1`,
    [identityId, systemId, now],
  );
  if (!row) return null;
  const {
    activeVersionId,
    systemId: foundSystemId,
    systemName,
    systemKind,
    systemEnvironment,
    systemSensitivity,
    systemOwnerId,
    granted,
    ...identity
  } = row;
  const system =
    foundSystemId === null
      ? null
      : {
          id: foundSystemId,
          name: systemName!,
          kind: systemKind!,
          environment: systemEnvironment!,
          sensitivity: systemSensitivity!,
          ownerId: systemOwnerId,
        };
  return { identity, system, granted, activeVersionId };
}

export interface AuthorizeOptions {
  /**
   * Judging a just-in-time access request (lib/access): the grant asked for
   * counts as held, so the policies decide whether to give it rather than
   * refusing it for want of the very grant requested.
   */
  requestingGrant?: boolean;
}

export async function authorize(
  db: Db,
  caller: AuthorizeCaller,
  rawInput: unknown,
  now = new Date(),
  options: AuthorizeOptions = {},
): Promise<AuthorizeAnswer> {
  const started = process.hrtime.bigint();
  const parsed = authorizeInput.safeParse(rawInput);
  if (!parsed.success) throw validationError(fieldErrorsFromZod(parsed.error));
  const input = parsed.data;

  const systemId = input.action === "call_tool" ? null : input.systemId;
  const read = await readInventory(caller.identityId, systemId, now);
  if (!read) throw notFound("That identity");
  const { identity: policyIdentity, system, granted, activeVersionId } = read;
  const common = {
    identity: policyIdentity,
    now,
    credential: caller.credential,
    // A token a human approved before it was issued carries that approval for the actions it covers (not for tool calls).
    humanApproved: (caller.humanApproved ?? false) || (caller.jit?.approvedByHuman === true && input.action !== "call_tool"),
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
    if (!system)
      throw new AppError("validation_failed", "That system is not in the inventory.", { systemId: "must be a system in the inventory" });
    if (options.requestingGrant) granted.push(input.action.toUpperCase());
    request = { ...common, action: input.action, system, grantedPermissions: [...new Set(granted)] };
    resource = { type: "System", id: system.id, label: `${system.name} (${system.environment})` };
  }

  const policies = await policySetOfActiveVersion(db, activeVersionId);
  const outsideToken = outsideJitScope(caller, input);
  // The Cedar request judged is stored with the decision, so a candidate policy
  // version can be replayed against it (lib/policy/replay.ts). A request outside
  // a JIT token's scope is denied before any policy looks at it: nothing to replay.
  const judge = (humanApproved: boolean): Decision & { cedarRequest: CedarRequest | null } => {
    if (outsideToken) return { outcome: "deny", policyIds: [], reasons: [outsideToken], cedarRequest: null };
    const cedarRequest = toCedarRequest({ ...request, humanApproved });
    return { ...evaluate(policies, cedarRequest), cedarRequest };
  };
  const first = judge(request.humanApproved);
  // The policies judge the call as sent; what is stored of it (the decision's Cedar request, a bound
  // request's arguments, the task's intent) has any secret in it redacted. The hash is of the call as
  // sent, so an approval still binds exactly that call.
  const call: BoundCall = {
    identityId: policyIdentity.id,
    action: input.action,
    resourceType: resource.type,
    resourceId: resource.id,
    ...(input.action === "call_tool" ? { arguments: redactSecretsIn(input.tool.arguments) } : {}),
    argumentsHash: hash,
  };
  const taskIntent = input.taskIntent === undefined ? undefined : redactSecrets(input.taskIntent);

  // Most requests are allowed or denied outright: stored by the decision
  // writer, with whatever other decisions arrive meanwhile, in one commit.
  // One that needs a human uses up an approval of this exact call if there is
  // one, or opens (or finds) the request for it, with its decision, atomically.
  const decisionRow = (
    { cedarRequest, ...decision }: ReturnType<typeof judge>,
    extra: { humanApproved: boolean; approvalRequestId: string | null },
  ): DecisionRow => ({
    identityId: policyIdentity.id,
    action: input.action,
    resourceType: resource.type,
    resourceId: resource.id,
    argumentsHash: hash,
    taskId: input.taskId ?? null,
    taskIntent: taskIntent ?? null,
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
    cedarRequest: cedarRequest && redactSecretsIn(cedarRequest),
    createdAt: now,
  });
  /** In the transaction of a bound approval, with what it opened or used up. */
  const storeIn = async (tx: Tx, ...args: Parameters<typeof decisionRow>) => {
    const { cedarRequest, ...row } = decisionRow(...args);
    const stored = await tx.policyDecision.create({
      data: { ...row, cedarRequest: (cedarRequest ?? undefined) as Prisma.InputJsonValue | undefined },
      select: { id: true },
    });
    return stored.id;
  };
  // A just-in-time request's approval is its own request (lib/access, catalog entry access.issue), not a bound call's.
  if (first.outcome !== "require_approval" || options.requestingGrant) {
    const decisionId = await storeDecision(decisionRow(first, { humanApproved: request.humanApproved, approvalRequestId: null }));
    return { decisionId, ...verdict(first), policyVersion: policies.number };
  }
  return db.$transaction(async (tx) => {
    const approved = await consumeApprovedCall(tx, call, now);
    if (approved) {
      const decision = judge(true);
      const decisionId = await storeIn(tx, decision, { humanApproved: true, approvalRequestId: approved.approvalRequestId });
      return {
        decisionId,
        ...verdict(decision),
        policyVersion: policies.number,
        approvedBy: { approvalRequestId: approved.approvalRequestId },
      };
    }
    const approvalRequest = await requestCallApproval(tx, {
      ...call,
      resourceLabel: resource.label,
      reasons: first.reasons,
      taskIntent,
      decisionHint: input.action === "call_tool" ? "tool call" : `${input.action}`,
    });
    const decisionId = await storeIn(tx, first, { humanApproved: false, approvalRequestId: approvalRequest?.id ?? null });
    return { decisionId, ...verdict(first), policyVersion: policies.number, ...(approvalRequest ? { approvalRequest } : {}) };
  });
}
