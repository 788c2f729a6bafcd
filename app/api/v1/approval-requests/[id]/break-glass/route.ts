import { apiMutation, withPathParams } from "@/lib/api/handler";
import { breakGlassApprovalRequest } from "@/lib/approvals/decide";

export const POST = apiMutation(breakGlassApprovalRequest, { input: withPathParams({ id: "requestId" }) });
