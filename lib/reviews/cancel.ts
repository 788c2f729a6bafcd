import type { Tx } from "@/lib/db/client";

/**
 * Closes an identity's open review without an attestation, because the
 * identity left service (retired, revoked) and there is nothing left to
 * attest. Returns how many were closed, for the caller's audit event.
 */
export async function cancelOpenReviews(tx: Tx, identityId: string, now = new Date()): Promise<number> {
  const { count } = await tx.review.updateMany({ where: { identityId, status: "OPEN" }, data: { status: "CANCELLED", closedAt: now } });
  return count;
}
