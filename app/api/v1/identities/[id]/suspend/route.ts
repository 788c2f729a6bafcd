import { apiMutation, withPathParams } from "@/lib/api/handler";
import { suspendIdentity } from "@/lib/inventory/identities";

export const POST = apiMutation(suspendIdentity, { input: withPathParams({ id: "identityId" }) });
