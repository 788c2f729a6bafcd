import { apiMutation, withPathParams } from "@/lib/api/handler";
import { updateApprovalRule } from "@/lib/approvals/settings";

export const PATCH = apiMutation(updateApprovalRule, { input: withPathParams({ key: "ruleKey" }) });
