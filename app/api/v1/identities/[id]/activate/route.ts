import { apiMutation, withPathParams } from "@/lib/api/handler";
import { activateIdentity } from "@/lib/inventory/identities";

/** Its owner, backup owner, security leads and admins: a proposed identity goes into service. */
export const POST = apiMutation(activateIdentity, { input: withPathParams({ id: "identityId" }) });
