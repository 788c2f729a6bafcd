import { apiMutation, withPathParams } from "@/lib/api/handler";
import { registerFinding } from "@/lib/discovery/decide";

/** Register the tool as a PROPOSED identity with grants on the repository (202 when it needs approval). */
export const POST = apiMutation(registerFinding, { status: 201, input: withPathParams({ id: "findingId" }) });
