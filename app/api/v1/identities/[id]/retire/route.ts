import { apiMutation, withPathParams } from "@/lib/api/handler";
import { retireIdentity } from "@/lib/inventory/identities";

/** Ends its grants and revokes its credentials but keeps the record: there is no delete, so history stays auditable. */
export const POST = apiMutation(retireIdentity, { input: withPathParams({ id: "identityId" }) });
