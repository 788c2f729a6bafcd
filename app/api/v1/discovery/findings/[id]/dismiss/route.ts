import { apiMutation, withPathParams } from "@/lib/api/handler";
import { dismissFinding } from "@/lib/discovery/decide";

/** Security leads and admins: dismiss the finding with a reason. */
export const POST = apiMutation(dismissFinding, { input: withPathParams({ id: "findingId" }) });
