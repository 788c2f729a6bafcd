import type { Actor } from "@/lib/auth/actor";
import type { Tx } from "@/lib/db/client";
import type { AiIdentity } from "@/lib/db/generated/client";
import { forbidden, notFound } from "@/lib/errors";

// Who may change which identity: its owner and backup owner, and the people
// accountable for the whole inventory (security leads and admins). Warrant
// itself (CLI, jobs) may too.

export function isInventoryManager(actor: Actor): boolean {
  return actor.kind === "system" || actor.roles.includes("SECURITY_LEAD") || actor.roles.includes("ADMIN");
}

export function actorUserId(actor: Actor): string | undefined {
  return actor.kind === "system" ? undefined : actor.userId;
}

export function mayManageIdentity(actor: Actor, identity: { ownerId: string; backupOwnerId: string | null }): boolean {
  const userId = actorUserId(actor);
  return isInventoryManager(actor) || (userId !== undefined && (identity.ownerId === userId || identity.backupOwnerId === userId));
}

export function assertMayManageIdentity(actor: Actor, identity: { ownerId: string; backupOwnerId: string | null }, what: string) {
  if (mayManageIdentity(actor, identity)) return;
  throw forbidden(`${what}: only its owner, backup owner, security leads and admins may`);
}

/**
 * Locks the identity's row for the rest of the transaction, so concurrent
 * changes to its grants and credentials (and the risk computed from them)
 * apply one after another, and returns the row. One statement: FOR UPDATE
 * returns the row as it is once the lock is held (a change committed while it
 * waited included), so no second read is needed. The columns are listed so
 * enums come back as their names; access.test.ts checks the result equals
 * Prisma's own read of the row.
 */
export async function lockIdentity(tx: Tx, identityId: string): Promise<AiIdentity> {
  const [identity] = await tx.$queryRaw<AiIdentity[]>`
    SELECT "id", "externalId", "name", "kind"::text AS "kind", "vendor", "product", "model", "purpose",
           "environment"::text AS "environment", "autonomy"::text AS "autonomy", "status"::text AS "status",
           "ownerId", "backupOwnerId", "teamId", "expiresAt", "reviewCadenceDays", "nextReviewAt",
           "riskTier"::text AS "riskTier", "riskReasons", "orphanedAt", "createdAt", "updatedAt", "teamName",
           "credentialOldestIssuedAt", "longLivedCandidateIssuedAt", "hasNonExpiringCredential", "credentialIssuedAt",
           "templateId", "templateVersion"
    FROM "AiIdentity" WHERE "id" = ${identityId} FOR UPDATE`;
  if (!identity) throw notFound("That identity");
  return identity;
}
