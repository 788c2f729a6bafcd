import { apiMutation, withPathParams } from "@/lib/api/handler";
import { attestReview } from "@/lib/reviews/reviews";

export const POST = apiMutation(attestReview, { input: withPathParams({ id: "reviewId" }) });
