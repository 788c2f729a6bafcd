import { z } from "zod";
import type { Actor } from "@/lib/auth/actor";
import { defineMutation } from "@/lib/auth/mutation";
import { pendingRequestFor, PendingApproval, requestApprovalIfSensitive, type ApprovalRequestSummary } from "@/lib/approvals/request";
import type { Db, Tx } from "@/lib/db/client";
import { AppError, notFound } from "@/lib/errors";
import { lockIdentity } from "@/lib/inventory/access";
import { requiredText } from "@/lib/validation/inventory";

// When the policies say require_approval, the agent's request becomes an
// approval request bound to that exact call: the identity, the action, the
// resource and (for a tool call) the SHA-256 of its arguments. Approving it
// creates an ApprovedCall; the next identical request uses it up and is
// allowed, once. A call that differs in any argument hashes differently and
// asks again.
//
// The requester is the identity's owner (the agent acts for them), so the
// approvals rules apply as to any change: nobody approves their own request,
// so an owner cannot wave their own agent's risky call through.

/** How long an approved call stays usable before the agent must ask again. */
export const APPROVED_CALL_HOURS = 24;

/** What a bound request is about: one identity's exact call. */
export interface BoundCall {
  identityId: string;
  action: string;
  resourceType: "System" | "Tool";
  resourceId: string;
  /** Set for tool calls: the call's arguments, shown to the approver, and their hash. */
  arguments?: Record<string, unknown>;
  argumentsHash: string | null;
}

const allowCallOnceInput = z.object({
  identityId: requiredText(64),
  action: requiredText(20),
  resourceType: z.enum(["System", "Tool"]),
  resourceId: requiredText(200),
  /** The resource's name as the approver reads it (the tool's name, or the system's name and environment). */
  resourceLabel: requiredText(300),
  arguments: z.record(z.string(), z.unknown()).optional(),
  argumentsHash: requiredText(64).nullable(),
  /** Why the policies asked for a human: their reasons, for the approver. */
  reasons: z.array(z.string()).max(20),
});

/** "Bash: git push --force origin main" for tool calls, "deploy on payments (PROD)" for actions. */
function describeCall(input: z.output<typeof allowCallOnceInput>): string {
  if (input.resourceType === "System") return `${input.action} on ${input.resourceLabel}`;
  const args = input.arguments ?? {};
  const headline = ["command", "cmd", "file_path", "path", "url"].map((key) => args[key]).find((value) => typeof value === "string");
  const text = typeof headline === "string" ? `${input.resourceLabel}: ${headline}` : input.resourceLabel;
  return text.length > 160 ? `${text.slice(0, 157)}…` : text;
}

/**
 * The change an approved call applies: it records the allowance. Only ever
 * reached through an approval request (no route calls it), which is why it
 * always matches the catalog entry.
 */
export const allowCallOnce = defineMutation({
  name: "runtime.allow-call-once",
  description: "allow an agent's call once",
  permission: "inventory:write",
  input: allowCallOnceInput,
  // The arguments are the agent's call as it sent it (a command may be long), for the approver to see,
  // but for any secret in them, which authorize redacted before they got here (lib/policy/authorize.ts).
  scansOwnSecrets: true,
  maxFieldChars: 100_000,
  async sensitive(_ctx, input) {
    const identity = await _ctx.tx.aiIdentity.findUnique({ where: { id: input.identityId }, select: { name: true } });
    return [
      {
        key: "runtime.call",
        reason: input.reasons.join(" ") || "The runtime policies ask a human to approve this call.",
        summary: `${identity?.name ?? "An agent"} asks to ${describeCall(input)}`,
        identityId: input.identityId,
      },
    ];
  },
  async run({ tx, audit, approvalRequestId }, input) {
    const identity = await lockIdentity(tx, input.identityId);
    if (identity.status !== "ACTIVE") {
      throw new AppError("conflict", `The identity is ${identity.status.toLowerCase()}: its call can no longer be allowed.`);
    }
    const expiresAt = new Date(Date.now() + APPROVED_CALL_HOURS * 3600_000);
    // Applied from its approval request, whose id the allowance keeps; without one this is the request's preview.
    if (approvalRequestId) {
      await tx.approvedCall.create({
        data: {
          approvalRequestId,
          identityId: identity.id,
          action: input.action,
          resourceId: input.resourceId,
          argumentsHash: input.argumentsHash,
          expiresAt,
        },
      });
    }
    await audit({
      action: "runtime.call_allowed_once",
      targetType: "identity",
      targetId: identity.id,
      data: {
        call: describeCall(input),
        action: input.action,
        resource: input.resourceLabel,
        ...(input.arguments ? { arguments: input.arguments } : {}),
        argumentsHash: input.argumentsHash,
        usableUntil: expiresAt,
      },
    });
    return { identityId: identity.id, expiresAt };
  },
});

/**
 * Uses up the approval of exactly this call, if a human approved one that is
 * still usable: the row is claimed with SKIP LOCKED so two identical requests
 * racing each other cannot both be allowed by one approval.
 */
export async function consumeApprovedCall(tx: Tx, call: BoundCall, now: Date): Promise<{ approvalRequestId: string } | null> {
  const [used] = await tx.$queryRaw<{ approvalRequestId: string }[]>`
    UPDATE "ApprovedCall" SET "consumedAt" = ${now}
    WHERE "id" = (
      SELECT "id" FROM "ApprovedCall"
      WHERE "identityId" = ${call.identityId} AND "action" = ${call.action} AND "resourceId" = ${call.resourceId}
        AND "argumentsHash" IS NOT DISTINCT FROM ${call.argumentsHash} AND "consumedAt" IS NULL AND "expiresAt" > ${now}
      ORDER BY "createdAt" LIMIT 1 FOR UPDATE SKIP LOCKED)
    RETURNING "approvalRequestId"`;
  return used ?? null;
}

/**
 * The approval request for this exact call: the one already waiting, or a new
 * one in the owner's name. Null when approvals of agents' calls are switched
 * off in the catalog (nobody could approve it, so the answer stays
 * require_approval without a request) or the identity's owner is deactivated.
 */
export async function requestCallApproval(
  tx: Tx,
  call: BoundCall & { resourceLabel: string; reasons: string[]; taskIntent?: string; decisionHint: string },
): Promise<ApprovalRequestSummary | null> {
  const input = allowCallOnceInput.parse({
    identityId: call.identityId,
    action: call.action,
    resourceType: call.resourceType,
    resourceId: call.resourceId,
    resourceLabel: call.resourceLabel,
    ...(call.arguments ? { arguments: call.arguments } : {}),
    argumentsHash: call.argumentsHash,
    reasons: call.reasons,
  });
  const waiting = await pendingRequestFor(tx, allowCallOnce.name, input);
  if (waiting) return summaryOf(tx, waiting.id);

  const identity = await tx.aiIdentity.findUnique({
    where: { id: call.identityId },
    select: { name: true, owner: { select: { id: true, email: true, active: true, roles: true } } },
  });
  if (!identity) throw notFound("That identity");
  if (!identity.owner.active) return null;
  const requester: Exclude<Actor, { kind: "system" }> = {
    kind: "user",
    userId: identity.owner.id,
    label: `${identity.name} (AI identity of ${identity.owner.email})`,
    roles: identity.owner.roles,
  };
  const justification = `${identity.name} asked for this ${call.decisionHint}${call.taskIntent ? ` while working on: ${call.taskIntent}` : "."}`;
  const pending = await requestApprovalIfSensitive(tx, allowCallOnce, requester, input, { ...input, justification });
  return pending instanceof PendingApproval ? pending.request : null;
}

async function summaryOf(tx: Tx, requestId: string): Promise<ApprovalRequestSummary> {
  const request = await tx.approvalRequest.findUniqueOrThrow({ where: { id: requestId }, include: { rule: true } });
  return {
    id: request.id,
    status: request.status,
    summary: request.summary,
    catalogKey: request.catalogKey,
    reason: request.reason,
    rule: { key: request.rule.key, name: request.rule.name },
    expiresAt: request.expiresAt.toISOString(),
    link: `/approvals/${request.id}`,
  };
}

const MAX_WAIT_SECONDS = 30;
const POLL_INTERVAL_MS = 1000;

/** `?wait=N` on the agent's status check: how long to hold the answer while the request is still pending. */
export const callApprovalWaitQuery = z.object({
  wait: z.preprocess(
    (value) => (value === "" || value === undefined ? 0 : value),
    z.coerce
      .number({ message: "must be a number of seconds" })
      .int({ message: "must be a whole number of seconds" })
      .min(0, { message: "must be 0 or more" })
      .max(MAX_WAIT_SECONDS, { message: `must be at most ${MAX_WAIT_SECONDS} seconds` }),
  ),
});

/**
 * An agent waiting on the request for one of its own calls: its state now, or
 * (with `waitSeconds`) as soon as it leaves PENDING, whichever comes first.
 * Another identity's request, or any other kind of request, is not found.
 */
export async function callApprovalStatus(db: Db, identityId: string, requestId: string, waitSeconds: number) {
  const deadline = Date.now() + waitSeconds * 1000;
  for (;;) {
    const request = await db.approvalRequest.findFirst({
      where: { id: requestId, identityId, mutation: allowCallOnce.name },
      select: { id: true, status: true, summary: true, expiresAt: true, closedAt: true, outcome: true },
    });
    if (!request) throw notFound("That approval request");
    const pending = request.status === "PENDING" && request.expiresAt > new Date();
    if (!pending || Date.now() + POLL_INTERVAL_MS > deadline) {
      return {
        ...request,
        // Applied means approved: the identical call is now allowed once, so the agent retries it.
        retry: request.status === "APPLIED",
      };
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS));
  }
}
