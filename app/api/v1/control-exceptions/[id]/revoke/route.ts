import { apiMutation, withPathParams } from "@/lib/api/handler";
import { revokeControlException } from "@/lib/controls/exceptions";

export const POST = apiMutation(revokeControlException, { input: withPathParams({ id: "exceptionId" }) });
