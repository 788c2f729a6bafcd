import type { Actor } from "@/lib/auth/actor";
import type { Tx } from "@/lib/db/client";
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
 * apply one after another.
 */
export async function lockIdentity(tx: Tx, identityId: string) {
  const locked = await tx.$queryRaw<{ id: string }[]>`SELECT "id" FROM "AiIdentity" WHERE "id" = ${identityId} FOR UPDATE`;
  if (locked.length === 0) throw notFound("That identity");
  return tx.aiIdentity.findUniqueOrThrow({ where: { id: identityId } });
}
