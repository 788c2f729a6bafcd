import { z } from "zod";
import { ReviewOutcome } from "@/lib/db/generated/enums";
import { DAY_MS } from "@/lib/time";
import { ALONGSIDE_FIELD_ERRORS, isDate, optionalDate, optionalText, requiredId } from "./inventory";

// Input shapes for reviews, shared by the identity page, the bulk action, the
// API (and its OpenAPI document).

/** How long an owner has to attest when nobody says otherwise. */
export const DEFAULT_REVIEW_WINDOW_DAYS = 14;
/** A review is a short task, not a standing state: its due date is at most this far ahead. */
export const MAX_REVIEW_WINDOW_DAYS = 90;

const OUTCOMES = Object.values(ReviewOutcome) as [ReviewOutcome, ...ReviewOutcome[]];

/** A form's radio sends "yes"/"no"; the API sends true/false. */
const answer = z.preprocess(
  (value) => (value === "yes" || value === "true" ? true : value === "no" || value === "false" ? false : value),
  z.boolean({ message: "answer yes or no" }),
);

/** Checks a review's due date: in the future, within the window. */
export function checkReviewDueDate(dueAt: Date | undefined, ctx: z.RefinementCtx, path = "dueAt") {
  if (!isDate(dueAt)) return;
  const now = Date.now();
  if (dueAt.getTime() <= now) ctx.addIssue({ code: "custom", path: [path], message: "must be in the future" });
  else if (dueAt.getTime() > now + MAX_REVIEW_WINDOW_DAYS * DAY_MS) {
    ctx.addIssue({ code: "custom", path: [path], message: `must be within ${MAX_REVIEW_WINDOW_DAYS} days` });
  }
}

export const openReviewInput = z
  .object({
    identityId: requiredId,
    dueAt: optionalDate,
    reason: optionalText(500),
  })
  .superRefine((value, ctx) => checkReviewDueDate(value.dueAt, ctx), ALONGSIDE_FIELD_ERRORS);

export const reviewIdInput = z.object({ reviewId: requiredId });

const grantIds = z.preprocess(
  // A form sends one checkbox value per grant: one arrives as a string, several as an array.
  (value) => (typeof value === "string" ? [value] : value === undefined || value === null ? [] : value),
  z.array(requiredId, { message: "must list grants" }).transform((ids) => [...new Set(ids)]),
);

/**
 * The owner's attestation. The answers must agree with the outcome: an
 * identity that is no longer needed is retired, access that is not minimal is
 * reduced (by ending the grants named here) or retired, and every "no" or
 * change is explained in a comment the auditor can read.
 */
export const attestReviewInput = z
  .object({
    reviewId: requiredId,
    stillNeeded: answer,
    purposeUnchanged: answer,
    permissionsMinimal: answer,
    credentialsRotated: answer,
    outcome: z.enum(OUTCOMES, { message: `must be one of ${OUTCOMES.join(", ")}` }),
    grantIds,
    comment: optionalText(2000),
  })
  .superRefine((value, ctx) => {
    // Each rule needs the answers it compares; a missing answer is already reported on its own field.
    const outcomeKnown = OUTCOMES.includes(value.outcome);
    const grantIdsKnown = Array.isArray(value.grantIds);
    if (value.stillNeeded === false && outcomeKnown && value.outcome !== "RETIRE") {
      ctx.addIssue({ code: "custom", path: ["outcome"], message: "must be RETIRE when the identity is no longer needed" });
    }
    if (value.permissionsMinimal === false && value.outcome === "KEEP") {
      ctx.addIssue({ code: "custom", path: ["outcome"], message: "must be REDUCE or RETIRE when its access is more than it needs" });
    }
    if (value.outcome === "REDUCE" && grantIdsKnown && value.grantIds.length === 0) {
      ctx.addIssue({ code: "custom", path: ["grantIds"], message: "choose at least one grant to end" });
    }
    if (outcomeKnown && value.outcome !== "REDUCE" && grantIdsKnown && value.grantIds.length > 0) {
      ctx.addIssue({ code: "custom", path: ["grantIds"], message: "are only ended with the outcome REDUCE" });
    }
    const anyNo = [value.stillNeeded, value.purposeUnchanged, value.permissionsMinimal, value.credentialsRotated].includes(false);
    if ((anyNo || (outcomeKnown && value.outcome !== "KEEP")) && !value.comment) {
      ctx.addIssue({ code: "custom", path: ["comment"], message: "is required when an answer is no or the outcome is not KEEP" });
    }
  }, ALONGSIDE_FIELD_ERRORS);

export type AttestReviewInput = z.output<typeof attestReviewInput>;
