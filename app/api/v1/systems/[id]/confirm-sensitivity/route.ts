import { apiMutation, withPathParams } from "@/lib/api/handler";
import { confirmSystemSensitivity } from "@/lib/inventory/systems";

/** Security leads and admins: decide the sensitivity a registrant proposed; re-rates every identity that reaches the system. */
export const POST = apiMutation(confirmSystemSensitivity, { input: withPathParams({ id: "systemId" }) });
