"use server";

import { mutationAction } from "@/lib/auth/action";
import { attestReview, openReview } from "@/lib/reviews/reviews";
import { REVIEW_OUTCOME_LABELS } from "@/lib/reviews/labels";

export const openReviewAction = mutationAction(openReview, {
  success: () => "Opened a review. Its owner finds it in My tasks.",
  revalidate: "/inventory",
});

export const attestReviewAction = mutationAction(attestReview, {
  success: (review) => `Attested the review of ${review.identityName}: ${REVIEW_OUTCOME_LABELS[review.outcome!].toLowerCase()}.`,
  revalidate: "/tasks",
});
