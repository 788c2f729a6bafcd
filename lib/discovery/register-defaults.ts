import type { ProposedIdentity } from "@/lib/validation/discovery";
import { PERMISSION_ORDER } from "./proposal";

// What the register form starts with for a finding: the proposal, a purpose
// that says where it was found, and the usual 90 days to expiry and review.

/** Days from today to the expiry the register form suggests. */
export const SUGGESTED_LIFETIME_DAYS = 90;

const DAY_MS = 24 * 60 * 60 * 1000;

export function registerDefaults(finding: { repository: string; title: string }, proposal: ProposedIdentity, now: Date) {
  return {
    name: proposal.name,
    purpose: `Found by a scan of ${finding.repository}: ${finding.title}`,
    kind: proposal.kind,
    vendor: proposal.vendor ?? "",
    product: proposal.product ?? "",
    autonomy: proposal.autonomy,
    // A date input's value; the form sends it as the end of that day in the viewer's zone.
    expiresAt: new Date(now.getTime() + SUGGESTED_LIFETIME_DAYS * DAY_MS).toISOString().slice(0, 10),
    reviewCadenceDays: "90",
    permissions: PERMISSION_ORDER.filter((permission) => proposal.permissions.includes(permission)),
  };
}
