import type { IdentityStatus } from "@/lib/db/generated/enums";

/**
 * Identities still in service. Reviews, "overdue" and reminders concern only
 * these; expired, revoked and retired identities are history.
 */
export const LIVE_STATUSES: IdentityStatus[] = ["PROPOSED", "ACTIVE", "SUSPENDED"];
