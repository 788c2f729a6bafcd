import type { Tx } from "@/lib/db/client";
import type { ApprovalRequest } from "@/lib/db/generated/client";
import type { Role } from "@/lib/db/generated/enums";
import { enqueueNotification } from "@/lib/notifications/outbox";
import { otherOwners, type RequestParties } from "./rules";

// Who hears about an approval request, written to the outbox in the same
// transaction as the step that causes it: approvers when the request reaches
// their level, the requester when it ends, security leads on break-glass.

type Notified = Pick<ApprovalRequest, "id" | "summary" | "requesterId" | "justification" | "catalogKey" | "identityId" | "systemId">;

/** The active people with `role`, in plain SQL: deciding asks this inside its transaction. */
async function activeWithRole(tx: Tx, role: Role): Promise<string[]> {
  const people = await tx.$queryRaw<{ id: string }[]>`SELECT "id" FROM "User" WHERE "roles" @> ARRAY[${role}::"Role"] AND "active"`;
  return people.map((person) => person.id);
}

const securityLeads = (tx: Tx) => activeWithRole(tx, "SECURITY_LEAD");

/** The people who may decide `level` (the requester excluded: they never decide their own). */
export async function approversOf(tx: Tx, parties: RequestParties, level: number): Promise<string[]> {
  const approvers = parties.levels[level]!.approvers;
  let ids: string[];
  switch (approvers.kind) {
    case "role":
      ids = await activeWithRole(tx, approvers.role);
      break;
    // The same fallbacks as fitsLevel (rules.ts): security leads decide when the people named are gone.
    case "user":
      ids = parties.inactiveApproverIds.includes(approvers.userId) ? await securityLeads(tx) : [approvers.userId];
      break;
    case "system_owner":
    case "identity_owner": {
      const owners = otherOwners(parties, approvers.kind);
      ids = owners.length > 0 ? owners : await securityLeads(tx);
      break;
    }
  }
  return ids.filter((id) => id !== parties.requesterId);
}

function details(request: Notified) {
  return {
    requestId: request.id,
    summary: request.summary,
    catalogKey: request.catalogKey,
    identityId: request.identityId,
    systemId: request.systemId,
  };
}

/** The request reached `level`: its approvers are asked. */
export async function notifyLevelReached(tx: Tx, request: Notified, parties: RequestParties, level: number) {
  const name = parties.levels[level]!.name;
  await enqueueNotification(tx, {
    event: "approval.requested",
    subject: `Approval needed: ${request.summary}`,
    text: `${request.summary}\n\nWhy: ${request.justification}\n\nIt waits for level ${level + 1} of ${parties.levels.length} (${name}), which you may decide.`,
    link: `/approvals/${request.id}`,
    recipientUserIds: await approversOf(tx, parties, level),
    data: { ...details(request), level: level + 1, levelName: name },
  });
}

const OUTCOMES = {
  APPLIED: "was approved and applied",
  FAILED: "was approved but no longer applied; nothing changed",
  REJECTED: "was rejected",
  EXPIRED: "expired before anyone decided it",
} as const;

/** The request ended: its requester is told how. */
export async function notifyOutcome(tx: Tx, request: Notified, outcome: keyof typeof OUTCOMES, reason?: string | null) {
  await enqueueNotification(tx, {
    event: "approval.decided",
    subject: `Your request ${OUTCOMES[outcome]}: ${request.summary}`,
    text: `${request.summary}\n\nYour request ${OUTCOMES[outcome]}.${reason ? `\n\n${reason}` : ""}`,
    link: `/approvals/${request.id}`,
    recipientUserIds: [request.requesterId],
    data: { ...details(request), outcome, reason: reason ?? null },
  });
}

/** Break-glass: every security lead is told at once (and the requester, if someone else broke the glass). */
export async function notifyBreakGlass(tx: Tx, request: Notified, by: string, reason: string) {
  await enqueueNotification(tx, {
    event: "approval.break_glass",
    subject: `Break-glass: ${request.summary}`,
    text: `${by} applied this change without approval.\n\n${request.summary}\n\nReason: ${reason}\n\nA review of the identity is open.`,
    link: `/approvals/${request.id}`,
    recipientUserIds: [...(await securityLeads(tx)), request.requesterId],
    data: { ...details(request), by, reason },
  });
}
