import { randomUUID } from "node:crypto";
import { z } from "zod";
import type { Actor } from "@/lib/auth/actor";
import type { AgentCaller } from "@/lib/auth/agent";
import { defineMutation, executeMutation, type MutationContext } from "@/lib/auth/mutation";
import type { SensitiveCheckContext, SensitiveMatch } from "@/lib/approvals/catalog";
import { requestApprovalIfSensitive, type ApprovalRequestSummary } from "@/lib/approvals/request";
import { prisma, type Db, type DbOrTx, type Tx } from "@/lib/db/client";
import type { AccessGrant, ApprovalStatus, Permission } from "@/lib/db/generated/client";
import { jitMaxTtlMinutes } from "@/lib/env";
import { AppError, fieldErrorsFromZod, forbidden, notFound, validationError } from "@/lib/errors";
import { lockIdentity } from "@/lib/inventory/access";
import { recomputeRisk } from "@/lib/inventory/recompute-risk";
import { authorize, type AuthorizeAnswer } from "@/lib/policy/authorize";
import { SYSTEM_ACTIONS, type SystemAction } from "@/lib/policy/schema";
import { requiredText } from "@/lib/validation/inventory";
import { accessGrantState } from "./state";
import { signAccessToken, toActions } from "./tokens";

// Just-in-time access: an agent asks, with its own token, for some actions on
// one system for one task. The runtime policies judge each action (every
// decision is stored); all allowed → a token at once; any that needs a
// human → an approval request (catalog entry "access.issue"), and the token
// once it is approved; any denied → refused with the reasons. An issued
// token is recorded as an AccessGrant plus one JUST_IN_TIME grant per action
// in the inventory, all ending together: at expiry, on completion, or when
// the identity changes (lib/access/revoke.ts).

export const DEFAULT_TTL_MINUTES = 15;

/** Who asks: the identity, authenticated by its agent token (or, to read or complete, the task's JIT token). */
export type AccessCaller = AgentCaller;

const actionList = z
  .array(z.enum(SYSTEM_ACTIONS, { message: `must be one of ${SYSTEM_ACTIONS.join(", ")}` }), {
    message: `must list the actions, e.g. ["read", "write"] (each one of ${SYSTEM_ACTIONS.join(", ")})`,
  })
  .min(1, { message: "must list at least one action" })
  .max(SYSTEM_ACTIONS.length, { message: `must list each action once (at most ${SYSTEM_ACTIONS.length})` })
  .refine((actions) => new Set(actions).size === actions.length, { message: "must list each action once" });

export function accessRequestInput(maxTtlMinutes = jitMaxTtlMinutes()) {
  return z.object({
    systemId: requiredText(64),
    actions: actionList,
    taskIntent: requiredText(2000),
    taskId: requiredText(200).optional(),
    ttlMinutes: z
      .number({ message: "must be a number of minutes" })
      .int({ message: "must be a whole number of minutes" })
      .min(1, { message: "must be at least 1 minute" })
      .max(maxTtlMinutes, { message: `must be at most ${maxTtlMinutes} minutes` })
      .optional(),
  });
}

const toPermission = (action: SystemAction) => action.toUpperCase() as Permission;

/** Warrant acting at the identity's request: audited as the identity (see lib/auth/actor.ts). */
function agentActor(caller: AccessCaller): Actor {
  return { kind: "system", label: `${caller.identityName} (agent)`, identityId: caller.identityId };
}

/** The identity an agent-only mutation acts for; people (and Warrant's own jobs) are refused. */
function agentIdentityOf(actor: Actor, what: string): string {
  if (actor.kind === "system" && actor.identityId) return actor.identityId;
  throw forbidden(`${what}: only the identity itself may, with its own token`);
}

/** One decision per action, stored like every other (lib/policy/authorize.ts). */
async function judge(
  db: Db,
  caller: { identityId: string; credential: AccessCaller["credential"]; humanApproved?: boolean },
  request: { systemId: string; actions: readonly SystemAction[]; taskId?: string | null; taskIntent: string },
  now: Date,
): Promise<(AuthorizeAnswer & { action: SystemAction })[]> {
  const answers = [];
  for (const action of request.actions) {
    const input = {
      action,
      systemId: request.systemId,
      taskIntent: request.taskIntent,
      ...(request.taskId ? { taskId: request.taskId } : {}),
    };
    answers.push({ action, ...(await authorize(db, caller, input, now, { requestingGrant: true })) });
  }
  return answers;
}

const describeAnswers = (answers: { action: string; reasons: string[] }[]) =>
  answers.map((answer) => `${answer.action}: ${answer.reasons.join(" ")}`).join("; ");

/**
 * Locks the grant's identity, then the grant, and reads it: every change of
 * an identity's access locks the identity first, so two changes (a
 * completion and a suspension) cannot lock each other out.
 */
export async function lockAccessGrant(tx: Tx, id: string) {
  const found = await tx.accessGrant.findUnique({ where: { id }, select: { identityId: true } });
  if (!found) return null;
  await lockIdentity(tx, found.identityId);
  await tx.$queryRaw`SELECT "id" FROM "AccessGrant" WHERE "id" = ${id} FOR UPDATE`;
  return tx.accessGrant.findUnique({ where: { id }, include: { system: { select: { name: true, environment: true } } } });
}

/**
 * Issues a requested grant inside the caller's transaction: one JUST_IN_TIME
 * grant per action with the token's expiry, the identity's risk recomputed,
 * and `access.issued` audited. The identity must still be active and owned by
 * whoever owned it when it asked.
 */
async function issue(tx: Tx, audit: MutationContext["audit"], grant: AccessGrant & { system: { name: string } }, now: Date) {
  const identity = await lockIdentity(tx, grant.identityId);
  if (identity.status !== "ACTIVE")
    throw new AppError("conflict", `${identity.name} is ${identity.status.toLowerCase()}; no access is issued.`);
  if (identity.ownerId !== grant.ownerId) throw new AppError("conflict", `${identity.name} has a new owner since it asked; ask again.`);
  const expiresAt = new Date(now.getTime() + grant.ttlMinutes * 60_000);
  await tx.grant.createMany({
    data: grant.permissions.map((permission) => ({
      identityId: grant.identityId,
      systemId: grant.systemId,
      permission,
      mode: "JUST_IN_TIME" as const,
      expiresAt,
      accessGrantId: grant.id,
    })),
  });
  const issued = await tx.accessGrant.update({ where: { id: grant.id }, data: { issuedAt: now, expiresAt } });
  const risk = await recomputeRisk(tx, grant.identityId, now);
  await audit({
    action: "access.issued",
    targetType: "identity",
    targetId: grant.identityId,
    data: {
      accessGrantId: grant.id,
      jti: grant.jti,
      system: grant.system.name,
      systemId: grant.systemId,
      actions: toActions(grant.permissions),
      taskId: grant.taskId,
      expiresAt,
      riskTier: risk.tier,
    },
  });
  return issued;
}

/** Signs the token and marks it handed out; a token is handed out once. Null when it already was. */
async function deliver(tx: Tx, grant: AccessGrant, now: Date): Promise<string | null> {
  if (!grant.issuedAt || !grant.expiresAt) return null;
  const { token, kid } = await signAccessToken(tx, { ...grant, expiresAt: grant.expiresAt }, now);
  const marked = await tx.accessGrant.updateMany({
    where: { id: grant.id, deliveredAt: null },
    data: { deliveredAt: now, signingKeyId: kid },
  });
  return marked.count === 1 ? token : null;
}

async function accessIssueChecks({ tx }: SensitiveCheckContext, input: { accessGrantId: string }): Promise<SensitiveMatch[]> {
  const grant = await tx.accessGrant.findUnique({
    where: { id: input.accessGrantId },
    include: { identity: { select: { name: true } }, system: { select: { name: true, environment: true } } },
  });
  if (!grant || grant.issuedAt) return [];
  const decisions = await tx.policyDecision.findMany({
    where: { id: { in: grant.decisionIds }, outcome: "REQUIRE_APPROVAL" },
    select: { reasons: true },
  });
  const reasons = [...new Set(decisions.flatMap((decision) => decision.reasons))];
  return [
    {
      key: "access.issue",
      reason: reasons.join(" ") || "The runtime policies ask a human to approve it.",
      summary: `Just-in-time ${toActions(grant.permissions).join(", ")} on ${grant.system.name} (${grant.system.environment}) for ${grant.identity.name}, ${grant.ttlMinutes} min`,
      identityId: grant.identityId,
      systemId: grant.systemId,
    },
  ];
}

export const accessGrantIdInput = z.object({ accessGrantId: requiredText(64) });

/**
 * Issues a just-in-time grant that waited for approval. It is stored as an
 * approval request by openAccessGrant and applied by lib/approvals once every
 * level approved, as the identity's owner (the request's requester). The
 * policies judge it again then, with the human's approval: what changed
 * meanwhile (a suspension, an overdue review, a new policy) still counts.
 */
export const issueAccessGrant = defineMutation({
  name: "access.issue",
  description: "issue just-in-time access",
  permission: "inventory:write",
  input: accessGrantIdInput,
  sensitive: accessIssueChecks,
  async run({ tx, actor, audit }, { accessGrantId }) {
    const now = new Date();
    const found = await tx.accessGrant.findUnique({ where: { id: accessGrantId } });
    if (!found) throw notFound("That access request");
    if (actor.kind !== "system" && actor.userId !== found.ownerId) throw forbidden("issue this access: it is issued once approved");
    let decisionIds = found.decisionIds;
    // Judged before any row lock is taken: each decision is stored on a connection of its own.
    if (found.approvalRequestId) {
      const answers = await judge(
        prisma,
        { identityId: found.identityId, credential: { kind: "api_token", id: found.requestedWith }, humanApproved: true },
        { ...found, actions: toActions(found.permissions) },
        now,
      );
      const refusedAnswers = answers.filter((answer) => answer.outcome !== "allow");
      if (refusedAnswers.length > 0) {
        throw new AppError("conflict", `The policies no longer allow this access: ${describeAnswers(refusedAnswers)}`);
      }
      decisionIds = [...decisionIds, ...answers.map((answer) => answer.decisionId)];
    }
    const grant = await lockAccessGrant(tx, accessGrantId);
    if (!grant) throw notFound("That access request");
    if (grant.issuedAt) throw new AppError("conflict", "This access was already issued.");
    if (grant.completedAt) throw new AppError("conflict", "The agent completed its task before this access was approved.");
    if (grant.revokedAt) throw new AppError("conflict", `This access request was revoked before it was approved (${grant.revokedReason}).`);
    await tx.accessGrant.update({ where: { id: grant.id }, data: { decisionIds } });
    const issued = await issue(tx, audit, grant, now);
    return { id: issued.id, expiresAt: issued.expiresAt };
  },
});

const openAccessGrantInput = z.object({
  systemId: requiredText(64),
  actions: actionList,
  taskIntent: requiredText(2000),
  taskId: requiredText(200).optional(),
  ttlMinutes: z.number().int().min(1),
  /** The agent token it was asked with. */
  credentialId: requiredText(64),
  /** The stored decisions that judged each action just before (requestAccess makes them). */
  decisionIds: z.array(requiredText(64)).min(1),
});

export type AccessRequestResult =
  { kind: "issued"; grant: AccessGrant; token: string } | { kind: "pending"; grant: AccessGrant; approvalRequest: ApprovalRequestSummary };

/**
 * Records an identity's access request that the policies allowed or sent for
 * approval, and issues it at once when every action was allowed. The
 * decisions it rests on are read back and checked: a request cannot be
 * recorded as allowed without them.
 */
export const openAccessGrant = defineMutation({
  name: "access.request",
  description: "ask for just-in-time access",
  permission: "inventory:write",
  input: openAccessGrantInput,
  async run({ tx, actor, audit }, input): Promise<AccessRequestResult> {
    const identityId = agentIdentityOf(actor, "ask for just-in-time access");
    const now = new Date();
    const decisions = await tx.policyDecision.findMany({ where: { id: { in: input.decisionIds } } });
    const judged = input.actions.map((action) =>
      decisions.find(
        (decision) =>
          decision.action === action &&
          decision.identityId === identityId &&
          decision.resourceId === input.systemId &&
          decision.outcome !== "DENY" &&
          now.getTime() - decision.createdAt.getTime() < 60_000,
      ),
    );
    if (judged.some((decision) => decision === undefined) || decisions.length !== input.actions.length) {
      throw new AppError("conflict", "Each action must be judged by the policies just before it is asked for.");
    }
    const needsApproval = judged.some((decision) => decision!.outcome === "REQUIRE_APPROVAL");
    const identity = await tx.aiIdentity.findUniqueOrThrow({
      where: { id: identityId },
      select: { name: true, ownerId: true, owner: { select: { id: true, email: true, roles: true, active: true } } },
    });
    const created = await tx.accessGrant.create({
      data: {
        jti: randomUUID(),
        identityId,
        ownerId: identity.ownerId,
        systemId: input.systemId,
        permissions: input.actions.map(toPermission),
        taskId: input.taskId ?? null,
        taskIntent: input.taskIntent,
        ttlMinutes: input.ttlMinutes,
        requestedWith: input.credentialId,
        decisionIds: input.decisionIds,
      },
      include: { system: { select: { name: true, environment: true } } },
    });
    await audit({
      action: "access.requested",
      targetType: "identity",
      targetId: identityId,
      data: {
        accessGrantId: created.id,
        system: created.system.name,
        systemId: created.systemId,
        actions: input.actions,
        taskId: created.taskId,
        taskIntent: created.taskIntent,
        ttlMinutes: created.ttlMinutes,
        decisionIds: input.decisionIds,
        outcome: needsApproval ? "require_approval" : "allow",
      },
    });

    if (!needsApproval) {
      const issued = await issue(tx, audit, created, now);
      const token = await deliver(tx, issued, now);
      return { kind: "issued", grant: { ...issued, deliveredAt: now }, token: token! };
    }
    if (!identity.owner.active) {
      throw new AppError(
        "conflict",
        `${identity.name}'s owner is deactivated, so nobody answers for this request; its owner must be reassigned first.`,
      );
    }
    // The owner answers for the identity, so the request is theirs (they cannot approve it themselves); the label says an agent asked.
    const requester: Actor = {
      kind: "user",
      userId: identity.owner.id,
      label: `${identity.name} (agent) for ${identity.owner.email}`,
      roles: identity.owner.roles,
    };
    const justification = `${identity.name} asks for ${input.actions.join(", ")} for ${input.ttlMinutes} min: ${input.taskIntent}`;
    const pending = await requestApprovalIfSensitive(
      tx,
      issueAccessGrant,
      requester,
      { accessGrantId: created.id },
      { accessGrantId: created.id, justification: justification.slice(0, 2000) },
    );
    if (!pending) {
      throw new AppError(
        "forbidden",
        "The policies ask a human to approve this access, but approvals of just-in-time access are switched off (approval catalog: Just-in-time access). Ask a security lead.",
      );
    }
    const grant = await tx.accessGrant.update({ where: { id: created.id }, data: { approvalRequestId: pending.request.id } });
    return { kind: "pending", grant, approvalRequest: pending.request };
  },
});

/** What the agent is told about its request, with the token when it is handed out now. */
export interface AccessRequestView {
  id: string;
  status: "issued" | "pending_approval" | "rejected" | "approval_expired" | "withdrawn" | "failed" | "expired" | "completed" | "revoked";
  identityId: string;
  systemId: string;
  actions: string[];
  taskId: string | null;
  taskIntent: string;
  ttlMinutes: number;
  issuedAt: Date | null;
  expiresAt: Date | null;
  completedAt: Date | null;
  revokedAt: Date | null;
  revokedReason: string | null;
  decisionIds: string[];
  approvalRequest: { id: string; status: string; link: string } | null;
  /** The signed token (a Bearer for authorize and events): present once, in the answer that hands it out. */
  token?: string;
  tokenType?: "Bearer";
  /** True once the token was handed out: it is never shown again. */
  tokenDelivered: boolean;
}

const NOT_ISSUED: Record<ApprovalStatus, AccessRequestView["status"]> = {
  PENDING: "pending_approval",
  REJECTED: "rejected",
  EXPIRED: "approval_expired",
  WITHDRAWN: "withdrawn",
  FAILED: "failed",
  APPLIED: "failed",
};

function viewOf(grant: AccessGrant, approval: { id: string; status: ApprovalStatus } | null, now: Date, token?: string): AccessRequestView {
  const state = accessGrantState(grant, approval?.status === "PENDING", now);
  // The agent is told why a request was never issued: rejected, expired undecided, withdrawn, failed.
  const status: AccessRequestView["status"] =
    state === "active"
      ? "issued"
      : state === "pending_approval" || state === "not_issued"
        ? NOT_ISSUED[approval?.status ?? "FAILED"]
        : state;
  return {
    id: grant.id,
    status,
    identityId: grant.identityId,
    systemId: grant.systemId,
    actions: toActions(grant.permissions),
    taskId: grant.taskId,
    taskIntent: grant.taskIntent,
    ttlMinutes: grant.ttlMinutes,
    issuedAt: grant.issuedAt,
    expiresAt: grant.expiresAt,
    completedAt: grant.completedAt,
    revokedAt: grant.revokedAt,
    revokedReason: grant.revokedReason,
    decisionIds: grant.decisionIds,
    approvalRequest: approval ? { id: approval.id, status: approval.status, link: `/approvals/${approval.id}` } : null,
    ...(token ? { token, tokenType: "Bearer" as const } : {}),
    tokenDelivered: grant.deliveredAt !== null || token !== undefined,
  };
}

function refuseJitCaller(caller: AccessCaller) {
  if (caller.credential.kind === "jit") {
    throw new AppError("forbidden", "A just-in-time token cannot ask for more access; ask with the identity's own agent token.");
  }
}

/**
 * POST /api/v1/access-requests: judges each action, then records and issues
 * (201), sends for approval (202) or refuses with the policies' reasons (403).
 */
export async function requestAccess(
  caller: AccessCaller,
  rawInput: unknown,
  db: Db = prisma,
  now = new Date(),
): Promise<{ status: 201 | 202; body: AccessRequestView }> {
  refuseJitCaller(caller);
  const maxTtlMinutes = jitMaxTtlMinutes();
  const parsed = accessRequestInput(maxTtlMinutes).safeParse(rawInput);
  if (!parsed.success) throw validationError(fieldErrorsFromZod(parsed.error));
  const input = parsed.data;
  const ttlMinutes = input.ttlMinutes ?? Math.min(DEFAULT_TTL_MINUTES, maxTtlMinutes);

  const answers = await judge(db, caller, input, now);
  const denied = answers.filter((answer) => answer.outcome === "deny");
  if (denied.length > 0) {
    throw new AppError("forbidden", `The policies deny this access — ${describeAnswers(denied)}`, {
      actions: denied.map((answer) => `${answer.action} is denied (${answer.policyIds.join(", ") || "no policy permits it"})`).join("; "),
    });
  }
  const result = await executeMutation(
    openAccessGrant,
    agentActor(caller),
    { ...input, ttlMinutes, credentialId: caller.credential.id, decisionIds: answers.map((answer) => answer.decisionId) },
    db,
  );
  if (result.kind === "issued") return { status: 201, body: viewOf(result.grant, null, now, result.token) };
  return { status: 202, body: viewOf(result.grant, { id: result.approvalRequest.id, status: "PENDING" }, now) };
}

/** Hands out the token of a grant issued after approval, once. */
export const collectAccessToken = defineMutation({
  name: "access.collect",
  description: "collect a just-in-time token",
  permission: "inventory:write",
  input: accessGrantIdInput,
  async run({ tx, actor, audit }, { accessGrantId }) {
    const identityId = agentIdentityOf(actor, "collect a just-in-time token");
    const now = new Date();
    const grant = await lockAccessGrant(tx, accessGrantId);
    if (!grant || grant.identityId !== identityId) throw notFound("That access request");
    const live = grant.issuedAt && !grant.completedAt && !grant.revokedAt && grant.expiresAt! > now;
    if (!live || grant.deliveredAt) throw new AppError("conflict", "There is no token to hand out for this access request.");
    const token = await deliver(tx, grant, now);
    await audit({
      action: "access.token_collected",
      targetType: "identity",
      targetId: identityId,
      data: { accessGrantId, jti: grant.jti },
    });
    return { grant: { ...grant, deliveredAt: now }, token: token! };
  },
});

async function findOwnGrant(db: DbOrTx, caller: AccessCaller, id: string) {
  const grant = await db.accessGrant.findUnique({ where: { id } });
  // Another identity's request is reported as missing, so ids cannot be probed.
  if (!grant || grant.identityId !== caller.identityId) throw notFound("That access request");
  return grant;
}

async function approvalOf(db: DbOrTx, grant: AccessGrant) {
  return grant.approvalRequestId
    ? db.approvalRequest.findUnique({ where: { id: grant.approvalRequestId }, select: { id: true, status: true } })
    : null;
}

/**
 * GET /api/v1/access-requests/{id}: the request's state, to its own identity
 * only; the first read after an approval issued it hands out the token.
 */
export async function getAccessRequest(caller: AccessCaller, id: string, db: Db = prisma, now = new Date()): Promise<AccessRequestView> {
  const grant = await findOwnGrant(db, caller, id);
  const approval = await approvalOf(db, grant);
  const deliverable = grant.issuedAt && !grant.deliveredAt && !grant.completedAt && !grant.revokedAt && grant.expiresAt! > now;
  if (deliverable && caller.credential.kind === "api_token") {
    try {
      const collected = await executeMutation(collectAccessToken, agentActor(caller), { accessGrantId: id }, db);
      return viewOf(collected.grant, approval, now, collected.token);
    } catch (error) {
      // Collected by a concurrent read: answer without the token.
      if (!(error instanceof AppError && error.code === "conflict")) throw error;
      return viewOf(await findOwnGrant(db, caller, id), approval, now);
    }
  }
  return viewOf(grant, approval, now);
}

/** Ends the task: its token stops at once and its JIT grants end. */
export const completeAccessGrant = defineMutation({
  name: "access.complete",
  description: "complete a just-in-time task",
  permission: "inventory:write",
  input: accessGrantIdInput,
  async run({ tx, actor, audit }, { accessGrantId }) {
    const identityId = agentIdentityOf(actor, "complete a just-in-time task");
    const now = new Date();
    const grant = await lockAccessGrant(tx, accessGrantId);
    if (!grant || grant.identityId !== identityId) throw notFound("That access request");
    if (grant.completedAt) throw new AppError("conflict", "This task was already completed.");
    if (grant.revokedAt) throw new AppError("conflict", `This access was already revoked (${grant.revokedReason}).`);
    const completed = await tx.accessGrant.update({ where: { id: grant.id }, data: { completedAt: now } });
    const ended = await tx.grant.updateMany({ where: { accessGrantId: grant.id, revokedAt: null }, data: { revokedAt: now } });
    const risk = await recomputeRisk(tx, identityId, now);
    await audit({
      action: "access.completed",
      targetType: "identity",
      targetId: identityId,
      data: { accessGrantId, jti: grant.jti, system: grant.system.name, grantsEnded: ended.count, riskTier: risk.tier },
    });
    return completed;
  },
});

/**
 * POST /api/v1/access-requests/{id}/complete, with the identity's agent token
 * or the task's own JIT token (not another task's).
 */
export async function completeAccess(caller: AccessCaller, id: string, db: Db = prisma, now = new Date()): Promise<AccessRequestView> {
  const grant = await findOwnGrant(db, caller, id);
  if (caller.credential.kind === "jit" && caller.credential.id !== grant.jti) {
    throw forbidden("complete another task's access with this token");
  }
  const completed = await executeMutation(completeAccessGrant, agentActor(caller), { accessGrantId: id }, db);
  return viewOf(completed, await approvalOf(db, grant), now);
}
