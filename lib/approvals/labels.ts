import type { ApprovalStatus } from "@/lib/db/generated/enums";

export const APPROVAL_STATUS_LABELS: Record<ApprovalStatus, string> = {
  PENDING: "Pending",
  APPLIED: "Applied",
  REJECTED: "Rejected",
  EXPIRED: "Expired",
  WITHDRAWN: "Withdrawn",
  FAILED: "Failed",
};

export const APPROVAL_VIEW_LABELS = {
  waiting: "Waiting for me",
  mine: "My requests",
  all: "All",
  history: "History",
} as const;

/** "2 h 5 min left", "expired", for a pending request. */
export function timeLeft(expiresAt: Date, now: Date): string {
  const minutes = Math.floor((expiresAt.getTime() - now.getTime()) / 60_000);
  if (minutes <= 0) return "expired";
  const hours = Math.floor(minutes / 60);
  if (hours >= 48) return `${Math.floor(hours / 24)} days left`;
  return hours > 0 ? `${hours} h ${minutes % 60} min left` : `${minutes} min left`;
}
