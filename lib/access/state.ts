// The state of a just-in-time access grant, decided once for the agent's view (lib/access/requests.ts)
// and the identity page's list (lib/access/grants.ts).

export type AccessGrantState = "pending_approval" | "not_issued" | "active" | "expired" | "completed" | "revoked";

/** One rule for a grant's state, from its row alone (a request that was never issued reads "not_issued" once its approval closed). */
export function accessGrantState(
  grant: {
    issuedAt: Date | null;
    expiresAt: Date | null;
    completedAt: Date | null;
    revokedAt: Date | null;
    approvalRequestId: string | null;
  },
  approvalPending: boolean,
  now: Date,
): AccessGrantState {
  if (grant.completedAt) return "completed";
  if (grant.revokedAt) return "revoked";
  if (!grant.issuedAt) return approvalPending ? "pending_approval" : "not_issued";
  return grant.expiresAt! <= now ? "expired" : "active";
}
