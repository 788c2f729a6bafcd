import { apiMutation, withPathParams } from "@/lib/api/handler";
import { activatePolicyVersion } from "@/lib/policy/store";

export const POST = apiMutation(activatePolicyVersion, { input: withPathParams({ id: "versionId" }) });
