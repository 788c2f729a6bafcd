import { apiMutation, withPathParams } from "@/lib/api/handler";
import { revokeGrant } from "@/lib/inventory/grants";

export const POST = apiMutation(revokeGrant, { input: withPathParams({ id: "grantId" }) });
