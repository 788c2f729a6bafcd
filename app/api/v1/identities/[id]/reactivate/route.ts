import { apiMutation, withPathParams } from "@/lib/api/handler";
import { reactivateIdentity } from "@/lib/inventory/identities";

/** Security leads and admins only. */
export const POST = apiMutation(reactivateIdentity, { input: withPathParams({ id: "identityId" }) });
