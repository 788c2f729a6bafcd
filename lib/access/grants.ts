import { z } from "zod";
import { defineMutation } from "@/lib/auth/mutation";
import type { DbOrTx } from "@/lib/db/client";
import { AppError, notFound } from "@/lib/errors";
import { assertMayManageIdentity } from "@/lib/inventory/access";
import { recomputeRisk } from "@/lib/inventory/recompute-risk";
import { optionalText, requiredText } from "@/lib/validation/inventory";
import { lockAccessGrant } from "./requests";
import { accessGrantState } from "./state";
import { toActions } from "./tokens";

// What people do with an identity's just-in-time access: see it, and end a
// token before its time (the agent ends its own by completing the task).

/** An identity's just-in-time access, newest first, for its page and the API. Every reader of the inventory may see it. */
export async function findAccessGrantsOfIdentity(db: DbOrTx, identityId: string, { limit = 50, now = new Date() } = {}) {
  const grants = await db.accessGrant.findMany({
    where: { identityId },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: limit,
    include: { system: { select: { id: true, name: true, environment: true } } },
  });
  const approvalIds = grants.map((grant) => grant.approvalRequestId).filter((id): id is string => id !== null);
  const pending = new Set(
    (await db.approvalRequest.findMany({ where: { id: { in: approvalIds }, status: "PENDING" }, select: { id: true } })).map(
      (row) => row.id,
    ),
  );
  return grants.map((grant) => ({
    id: grant.id,
    state: accessGrantState(grant, grant.approvalRequestId !== null && pending.has(grant.approvalRequestId), now),
    system: grant.system,
    actions: toActions(grant.permissions),
    taskId: grant.taskId,
    taskIntent: grant.taskIntent,
    ttlMinutes: grant.ttlMinutes,
    approvalRequestId: grant.approvalRequestId,
    createdAt: grant.createdAt,
    issuedAt: grant.issuedAt,
    expiresAt: grant.expiresAt,
    completedAt: grant.completedAt,
    revokedAt: grant.revokedAt,
    revokedReason: grant.revokedReason,
  }));
}

export const revokeAccessGrantInput = z.object({ accessGrantId: requiredText(64), reason: optionalText(500) });

/** A person who manages the identity (owner, backup owner, security lead, admin) ends a token now, or a request before it is approved. */
export const revokeAccessGrant = defineMutation({
  name: "access.revoke",
  description: "revoke just-in-time access",
  permission: "inventory:write",
  input: revokeAccessGrantInput,
  async run({ tx, actor, audit }, input) {
    const now = new Date();
    const grant = await lockAccessGrant(tx, input.accessGrantId);
    if (!grant) throw notFound("That just-in-time access");
    const identity = await tx.aiIdentity.findUniqueOrThrow({ where: { id: grant.identityId } });
    assertMayManageIdentity(actor, identity, "revoke this identity's just-in-time access");
    if (grant.completedAt) throw new AppError("conflict", "Its task was already completed; the token no longer works.");
    if (grant.revokedAt) throw new AppError("conflict", `It was already revoked (${grant.revokedReason}).`);
    if (grant.expiresAt && grant.expiresAt <= now) throw new AppError("conflict", "It has already expired; the token no longer works.");
    const reason = input.reason ?? `revoked by ${actor.label}`;
    await tx.accessGrant.update({ where: { id: grant.id }, data: { revokedAt: now, revokedReason: reason } });
    const ended = await tx.grant.updateMany({ where: { accessGrantId: grant.id, revokedAt: null }, data: { revokedAt: now } });
    const risk = await recomputeRisk(tx, grant.identityId, now);
    await audit({
      action: "access.revoked",
      targetType: "identity",
      targetId: grant.identityId,
      data: { accessGrantId: grant.id, jti: grant.jti, system: grant.system.name, reason, grantsEnded: ended.count, riskTier: risk.tier },
    });
    return { id: grant.id, revokedAt: now, revokedReason: reason };
  },
});
