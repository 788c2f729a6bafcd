import type { Tx } from "@/lib/db/client";

/**
 * Ends every just-in-time token of an identity that is still live or waiting
 * for approval, and the JUST_IN_TIME grants that came with them, inside the
 * caller's transaction. lib/inventory calls it whenever an identity stops
 * being trusted as it was (suspended, expired, retired, revoked, a new
 * owner). A revoked token stays revoked if the identity comes back. Returns
 * how many tokens it ended. The caller recomputes the identity's risk.
 */
export async function revokeAccessGrantsOf(tx: Tx, identityId: string, reason: string, now: Date): Promise<number> {
  const ended = await tx.accessGrant.updateManyAndReturn({
    where: { identityId, completedAt: null, revokedAt: null, OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] },
    data: { revokedAt: now, revokedReason: reason },
    select: { id: true },
  });
  if (ended.length === 0) return 0;
  await tx.grant.updateMany({
    where: { accessGrantId: { in: ended.map((grant) => grant.id) }, revokedAt: null },
    data: { revokedAt: now },
  });
  return ended.length;
}
