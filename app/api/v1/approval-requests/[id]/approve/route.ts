import { apiMutation } from "@/lib/api/handler";
import { decideApprovalRequest } from "@/lib/approvals/decide";

export const POST = apiMutation(decideApprovalRequest, {
  input: (body, params) => ({ ...body, requestId: params.id, verdict: "APPROVE" }),
});
