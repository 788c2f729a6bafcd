import { apiMutation, withPathParams } from "@/lib/api/handler";
import { addControlException } from "@/lib/controls/exceptions";

/** Security leads: accept a failing object for this control until a date (a second lead approves it). */
export const POST = apiMutation(addControlException, { status: 201, input: withPathParams({ key: "controlKey" }) });
