import type { ReviewOutcome, ReviewStatus, ReviewTrigger } from "@/lib/db/generated/enums";

export const REVIEW_OUTCOME_LABELS: Record<ReviewOutcome, string> = {
  KEEP: "Keep",
  REDUCE: "Reduce access",
  RETIRE: "Retire",
};

export const REVIEW_STATUS_LABELS: Record<ReviewStatus, string> = {
  OPEN: "Open",
  COMPLETED: "Attested",
  CANCELLED: "Cancelled",
};

export const REVIEW_TRIGGER_LABELS: Record<ReviewTrigger, string> = {
  SCHEDULED: "scheduled",
  MANUAL: "opened by hand",
  CHANGE: "opened by a change",
  CAMPAIGN: "review campaign",
};

/** The four questions of an attestation, in the order the form and the history show them. */
export const REVIEW_QUESTIONS = [
  { name: "stillNeeded", question: "Is this identity still needed?" },
  { name: "purposeUnchanged", question: "Is its purpose unchanged?" },
  { name: "permissionsMinimal", question: "Is its access still the least it needs?" },
  { name: "credentialsRotated", question: "Have its credentials been rotated as their rotation period asks?" },
] as const;

export type ReviewQuestion = (typeof REVIEW_QUESTIONS)[number]["name"];

/**
 * Where a review is read and attested: its identity's page, which shows the
 * form while the review is open and says what became of it afterwards. Task
 * lists, notices and email link here.
 */
export function reviewPath(review: { id: string; identityId: string }): string {
  return `/inventory/${review.identityId}?review=${encodeURIComponent(review.id)}#review-heading`;
}
