import { z } from "zod";
import { can, type Actor } from "@/lib/auth/actor";
import { defineMutation, parseMutationInput, runMutation, RunAgainCarefully, type AnyMutation } from "@/lib/auth/mutation";
import { auditQueueMark, dropAuditEventsQueuedSince, type AuditEntry } from "@/lib/audit/record";
import type { Tx } from "@/lib/db/client";
import { Prisma, type ApprovalRequest, type ApprovalVerdict } from "@/lib/db/generated/client";
import { newId } from "@/lib/db/ids";
import { AppError, forbidden, notFound, toAppError } from "@/lib/errors";
import { defineBatchJob } from "@/lib/jobs/batches";
import { applyReviewOpen } from "@/lib/reviews/reviews";
import { requiredText, optionalText } from "@/lib/validation/inventory";
import { readDecidingRequest, type DecidingRequest } from "./parties";
import { currentLevel, isComplete, levelFor } from "./rules";
import { notifyBreakGlass, notifyLevelReached, notifyOutcome } from "./notify";

// Deciding, withdrawing, expiring and break-glass. Every step locks the
// request's row first, so concurrent decisions apply one after another: the
// decision that completes the last level applies the stored change in its own
// transaction, and every later one finds the request no longer pending. That
// is what makes a change apply exactly once.

const requestId = z.string({ message: "is required" }).trim().min(1, { message: "is required" });

/** The registry, looked up when a request is applied (lib/mutations.ts imports this module too). */
async function findMutation(name: string): Promise<AnyMutation | undefined> {
  const { allMutations } = await import("@/lib/mutations");
  return allMutations.find((mutation) => mutation.name === name);
}

async function lockRequestRow(tx: Tx, id: string): Promise<void> {
  const locked = await tx.$queryRaw<{ id: string }[]>`SELECT "id" FROM "ApprovalRequest" WHERE "id" = ${id} FOR UPDATE`;
  if (locked.length === 0) throw notFound("That approval request");
}

export async function lockRequest(tx: Tx, id: string): Promise<ApprovalRequest> {
  await lockRequestRow(tx, id);
  return tx.approvalRequest.findUniqueOrThrow({ where: { id } });
}

/**
 * The same for a decision: the request with its parties and requester, locked
 * and read in one statement, and read again when another decision committed
 * while this one waited for the lock (see readDecidingRequest).
 */
async function lockRequestForDecision(tx: Tx, id: string): Promise<DecidingRequest> {
  const locked = await readDecidingRequest(tx, id, { lock: true });
  if (!locked) throw notFound("That approval request");
  if (locked.current) return locked.request;
  const reread = await readDecidingRequest(tx, id);
  return reread!.request;
}

function assertPending(request: Pick<ApprovalRequest, "status" | "expiresAt">, now: Date) {
  if (request.status !== "PENDING") {
    throw new AppError("conflict", `This request is already ${request.status.toLowerCase()}; it can no longer change.`);
  }
  if (request.expiresAt <= now) {
    throw new AppError("conflict", `This request expired at ${request.expiresAt.toISOString()}; ask again if the change is still needed.`);
  }
}

function requestAudit(
  request: Pick<ApprovalRequest, "id" | "identityId" | "summary">,
  action: string,
  data: Record<string, unknown>,
): AuditEntry {
  return {
    action,
    targetType: request.identityId ? "identity" : "approval_request",
    targetId: request.identityId ?? request.id,
    data: { requestId: request.id, summary: request.summary, ...data },
  };
}

type Requester = DecidingRequest["requester"];

/**
 * Applies a request's stored change in the caller's transaction, as its
 * requester, re-validated against the current state. When it no longer
 * applies, everything it did is rolled back to a savepoint and the reason is
 * returned; the caller records the request as failed.
 *
 * Without `undoable` there is no savepoint (a round trip fewer for nearly
 * every approval): a change that no longer applies throws RunAgainCarefully
 * instead, and executeMutation runs the whole decision again, undoably.
 */
async function applyStoredChange(
  tx: Tx,
  request: Pick<ApprovalRequest, "id" | "mutation" | "input">,
  requester: Requester | null,
  approval: { approvedBy: string[]; breakGlass?: string },
  { undoable }: { undoable: boolean },
): Promise<{ applied: true } | { applied: false; reason: string }> {
  const mutation = await findMutation(request.mutation);
  if (!mutation) return { applied: false, reason: `Warrant no longer knows the change ${request.mutation}.` };
  if (!requester?.active) return { applied: false, reason: "The requester's account is deactivated." };
  const actor: Actor = { kind: "user", userId: requester.id, label: requester.email, roles: requester.roles };

  // No RELEASE on success: COMMIT ends the savepoint with the transaction, one round trip fewer.
  if (undoable) await tx.$executeRawUnsafe("SAVEPOINT approval_apply");
  const auditMark = auditQueueMark(tx);
  try {
    if (!can(actor, mutation.permission)) throw forbidden(mutation.description);
    const input = parseMutationInput(mutation, request.input);
    await runMutation(tx, mutation, actor, input, {
      auditData: {
        approvalRequestId: request.id,
        approvedBy: approval.approvedBy,
        ...(approval.breakGlass ? { breakGlass: approval.breakGlass } : {}),
      },
    });
    return { applied: true };
  } catch (error) {
    const known = toAppError(error);
    if (!known) throw error;
    if (!undoable) throw new RunAgainCarefully(`the approved change failed: ${known.message}`);
    await tx.$executeRawUnsafe("ROLLBACK TO SAVEPOINT approval_apply");
    // Its events go with it, queued or written (a written one is gone with the rollback).
    dropAuditEventsQueuedSince(tx, auditMark);
    return { applied: false, reason: known.message };
  }
}

interface NewDecision {
  level: number;
  deciderId: string;
  verdict: ApprovalVerdict;
  comment: string | undefined;
  at: Date;
}

/**
 * Writes the request's own row, and the decision that caused the write if
 * there is one, in one statement: every decision does both, inside a
 * transaction that pays for each round trip. Plain SQL, which also skips the
 * ORM's query planning.
 */
async function writeRequest(tx: Tx, id: string, set: Prisma.Sql, decision?: NewDecision) {
  if (!decision) {
    await tx.$executeRaw`UPDATE "ApprovalRequest" SET ${set} WHERE "id" = ${id}`;
    return;
  }
  await tx.$executeRaw`
    WITH "decision" AS (
      INSERT INTO "ApprovalDecision" ("id", "requestId", "level", "deciderId", "verdict", "comment", "createdAt")
      VALUES (${newId()}, ${id}, ${decision.level}, ${decision.deciderId}, ${decision.verdict}::"ApprovalVerdict", ${decision.comment ?? null}, ${decision.at})
    )
    UPDATE "ApprovalRequest" SET ${set} WHERE "id" = ${id}`;
}

async function closeRequest(
  tx: Tx,
  id: string,
  status: ApprovalRequest["status"],
  now: Date,
  { outcome, breakGlass = false, decision }: { outcome?: string; breakGlass?: boolean; decision?: NewDecision } = {},
) {
  const set = Prisma.sql`"status" = ${status}::"ApprovalStatus", "closedAt" = ${now}, "outcome" = ${outcome ?? null}, "breakGlass" = ${breakGlass}`;
  await writeRequest(tx, id, set, decision);
}

export const decideApprovalRequestInput = z
  .object({
    requestId,
    verdict: z.enum(["APPROVE", "REJECT"], { message: "must be APPROVE or REJECT" }),
    comment: optionalText(2000),
  })
  .refine((input) => input.verdict === "APPROVE" || input.comment !== undefined, {
    message: "is required when rejecting: tell the requester why",
    path: ["comment"],
  });

/** Approves or rejects for the level the decider fits; the decision that completes the last level applies the change. */
export const decideApprovalRequest = defineMutation({
  name: "approvals.decide",
  description: "decide approval requests",
  permission: "approvals:decide",
  input: decideApprovalRequestInput,
  async run({ tx, actor, audit, careful }, input) {
    if (actor.kind === "system") throw forbidden("decide approval requests: only people decide them");
    const now = new Date();
    const request = await lockRequestForDecision(tx, input.requestId);
    assertPending(request, now);
    const { parties } = request;
    const fit = levelFor({ userId: actor.userId, roles: actor.roles }, parties);
    if ("refused" in fit) throw new AppError("forbidden", fit.refused);
    // Written with the request's row below, whichever way this decision goes.
    const decision: NewDecision = { level: fit.level, deciderId: actor.userId, verdict: input.verdict, comment: input.comment, at: now };
    const levelName = parties.levels[fit.level]!.name;

    if (input.verdict === "REJECT") {
      await closeRequest(tx, request.id, "REJECTED", now, { outcome: input.comment, decision });
      await audit(requestAudit(request, "approval.rejected", { level: fit.level + 1, levelName, comment: input.comment }));
      await notifyOutcome(tx, request, "REJECTED", input.comment);
      return { id: request.id, status: "REJECTED" as const };
    }
    await audit(requestAudit(request, "approval.approved", { level: fit.level + 1, levelName, comment: input.comment }));
    const decided = {
      ...parties,
      decisions: [...parties.decisions, { level: fit.level, deciderId: actor.userId, verdict: "APPROVE" as const }],
    };
    if (!isComplete(decided)) {
      // "Waiting for me" reads the level a request waits for from its row (lib/approvals/waiting.ts).
      const waitingLevel = currentLevel(decided)!;
      await writeRequest(tx, request.id, Prisma.sql`"waitingLevel" = ${waitingLevel}`, decision);
      // Levels are decided in order: the next one's approvers are asked once the request reaches it,
      // not while this level still needs another approval.
      if (waitingLevel !== fit.level) await notifyLevelReached(tx, request, decided, waitingLevel);
      return { id: request.id, status: "PENDING" as const };
    }

    const approvedBy = decided.decisions.filter((decision) => decision.verdict === "APPROVE").map((decision) => decision.deciderId);
    const result = await applyStoredChange(tx, request, request.requester, { approvedBy }, { undoable: careful });
    if (result.applied) {
      await closeRequest(tx, request.id, "APPLIED", now, { decision });
      await audit(requestAudit(request, "approval.applied", { approvedBy }));
      await notifyOutcome(tx, request, "APPLIED");
      return { id: request.id, status: "APPLIED" as const };
    }
    await closeRequest(tx, request.id, "FAILED", now, { outcome: result.reason, decision });
    await audit(requestAudit(request, "approval.failed", { approvedBy, reason: result.reason }));
    await notifyOutcome(tx, request, "FAILED", result.reason);
    return { id: request.id, status: "FAILED" as const, reason: result.reason };
  },
});

export const withdrawApprovalRequestInput = z.object({ requestId, reason: optionalText(500) });

/** The requester takes their request back; nothing was applied, nothing is. */
export const withdrawApprovalRequest = defineMutation({
  name: "approvals.withdraw",
  description: "withdraw approval requests",
  permission: "approvals:decide",
  input: withdrawApprovalRequestInput,
  async run({ tx, actor, audit }, input) {
    const request = await lockRequest(tx, input.requestId);
    if (actor.kind === "system" || actor.userId !== request.requesterId) throw forbidden("withdraw this request: only its requester may");
    assertPending(request, new Date());
    await closeRequest(tx, request.id, "WITHDRAWN", new Date(), { outcome: input.reason });
    await audit(requestAudit(request, "approval.withdrawn", { reason: input.reason }));
    return { id: request.id, status: "WITHDRAWN" as const };
  },
});

export const breakGlassInput = z.object({
  requestId,
  reason: requiredText(2000).min(10, { message: "must say why this cannot wait (at least 10 characters)" }),
});

/**
 * An admin applies a pending change at once, for an emergency. The request is
 * marked break-glass, every security lead is told (through the audit event
 * until notifications exist) and a review of the identity opens at once.
 */
export const breakGlassApprovalRequest = defineMutation({
  name: "approvals.break-glass",
  description: "apply changes without approval (break-glass)",
  permission: "approvals:break-glass",
  input: breakGlassInput,
  async run({ tx, actor, audit }, input) {
    if (actor.kind === "system") throw forbidden("break glass: only a person may, and answers for it");
    const now = new Date();
    const request = await lockRequest(tx, input.requestId);
    assertPending(request, now);
    const requester = await tx.user.findUnique({
      where: { id: request.requesterId },
      select: { id: true, active: true, email: true, roles: true },
    });
    const result = await applyStoredChange(
      tx,
      request,
      requester,
      { approvedBy: [actor.userId], breakGlass: input.reason },
      { undoable: true },
    );
    if (!result.applied) throw new AppError("conflict", `The change no longer applies: ${result.reason}`);
    await closeRequest(tx, request.id, "APPLIED", now, { outcome: input.reason, breakGlass: true });
    await audit(requestAudit(request, "approval.break_glass", { reason: input.reason, by: actor.label }));
    await notifyBreakGlass(tx, request, actor.label, input.reason);
    if (request.identityId) {
      const identity = await tx.aiIdentity.findUnique({ where: { id: request.identityId }, select: { status: true } });
      if (identity && ["PROPOSED", "ACTIVE", "SUSPENDED"].includes(identity.status)) {
        const reason = `Follow-up of a break-glass change: ${request.summary}`;
        const review = await applyReviewOpen(tx, actor, { identityId: request.identityId, trigger: "MANUAL", reason }, now);
        if (review.audit) await audit(review.audit);
        // The change itself may have opened (or joined) a review (lib/reviews/change.ts): it says break-glass too.
        else if (review.existing && !review.existing.reason?.startsWith(reason)) {
          await tx.review.update({
            where: { id: review.existing.id },
            data: { reason: review.existing.reason ? `${reason}. ${review.existing.reason}` : reason },
          });
        }
      }
    }
    return { id: request.id, status: "APPLIED" as const, breakGlass: true };
  },
});

const expireDueRequestsJob = defineBatchJob({
  name: "approvals.expire-due",
  description: "expire approval requests",
  findCandidates: (tx, now, limit) =>
    tx.approvalRequest.findMany({
      where: { status: "PENDING", expiresAt: { lte: now } },
      orderBy: [{ expiresAt: "asc" }, { id: "asc" }],
      take: limit,
      select: { id: true },
    }),
  async apply(tx, _actor, { id }, now) {
    const request = await lockRequest(tx, id);
    if (request.status !== "PENDING" || request.expiresAt > now) return null;
    await closeRequest(tx, id, "EXPIRED", now, { outcome: `No decision before ${request.expiresAt.toISOString()}.` });
    await notifyOutcome(tx, request, "EXPIRED");
    return requestAudit(request, "approval.expired", { expiresAt: request.expiresAt });
  },
});

/** One batch of pending requests past their expiry; only Warrant itself (a job) runs it. */
export const expireDueRequestsBatch = expireDueRequestsJob.mutation;
/** Expires every pending request past its expiry; returns how many. */
export const expireDueRequests = expireDueRequestsJob.runAll;
