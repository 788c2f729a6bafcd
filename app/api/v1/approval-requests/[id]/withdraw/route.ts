import { apiMutation, withPathParams } from "@/lib/api/handler";
import { withdrawApprovalRequest } from "@/lib/approvals/decide";

export const POST = apiMutation(withdrawApprovalRequest, { input: withPathParams({ id: "requestId" }) });
