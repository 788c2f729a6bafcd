import type { Tx } from "@/lib/db/client";

/**
 * Ends every just-in-time token of an identity (or only those asked for with
 * one agent token) that is still live or waiting for approval, and the
 * JUST_IN_TIME grants that came with them, inside the caller's transaction.
 * lib/inventory calls it whenever an identity stops being trusted as it was
 * (suspended, expired, retired, revoked, a new owner) and when an agent
 * token is revoked: what it obtained goes with it. A revoked token stays
 * revoked if the identity comes back. Returns how many tokens it ended; the
 * caller recomputes the identity's risk.
 */
export async function revokeAccessGrantsOf(
  tx: Tx,
  of: { identityId: string; requestedWith?: string },
  reason: string,
  now: Date,
): Promise<number> {
  const ended = await tx.accessGrant.updateManyAndReturn({
    where: { ...of, completedAt: null, revokedAt: null, OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] },
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
