"use server";

import { mutationAction } from "@/lib/auth/action";
import { breakGlassApprovalRequest, decideApprovalRequest, withdrawApprovalRequest } from "@/lib/approvals/decide";
import { updateApprovalRule, updateCatalogEntry } from "@/lib/approvals/settings";

const OUTCOMES = {
  PENDING: "Approved. The request now waits for its next level.",
  APPLIED: "Approved. Every level has approved: the change is applied.",
  REJECTED: "Rejected. The requester is told; nothing changes.",
  FAILED: "Approved, but the change no longer applies; nothing changed.",
} as const;

export const decideApprovalAction = mutationAction(decideApprovalRequest, {
  success: (result) => OUTCOMES[result.status],
  revalidate: "/approvals",
});

export const withdrawApprovalAction = mutationAction(withdrawApprovalRequest, {
  success: () => "Withdrawn. Nothing was changed.",
  revalidate: "/approvals",
});

export const breakGlassAction = mutationAction(breakGlassApprovalRequest, {
  success: () => "Applied under break-glass. Security leads are told and a review of the identity is open.",
  revalidate: "/approvals",
});

export const updateCatalogEntryAction = mutationAction(updateCatalogEntry, {
  success: () => "Saved.",
  revalidate: "/approvals/settings",
});

export const updateApprovalRuleAction = mutationAction(updateApprovalRule, {
  success: () => "Saved.",
  revalidate: "/approvals/settings",
});
