import { apiMutation, withPathParams } from "@/lib/api/handler";
import { reopenFinding } from "@/lib/discovery/decide";

/** Security leads and admins: reopen a dismissed finding. */
export const POST = apiMutation(reopenFinding, { input: withPathParams({ id: "findingId" }) });
