import { apiMutation, withPathParams } from "@/lib/api/handler";
import { mapControl } from "@/lib/controls/exceptions";

/** Security leads: map this control to a requirement, typically of a framework of your own. */
export const POST = apiMutation(mapControl, { status: 201, input: withPathParams({ key: "controlKey" }) });
