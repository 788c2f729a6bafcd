import { revokeAccessGrant } from "@/lib/access/grants";
import { apiMutation, withPathParams } from "@/lib/api/handler";

/** A person who manages the identity ends its just-in-time token now (people's API tokens, not agents'). */
export const POST = apiMutation(revokeAccessGrant, { input: withPathParams({ id: "accessGrantId" }) });
