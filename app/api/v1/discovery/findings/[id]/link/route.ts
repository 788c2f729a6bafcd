import { apiMutation, withPathParams } from "@/lib/api/handler";
import { linkFinding } from "@/lib/discovery/decide";

/** Link the finding to an identity in the inventory that the caller may manage. */
export const POST = apiMutation(linkFinding, { input: withPathParams({ id: "findingId" }) });
