import { apiMutation, withPathParams } from "@/lib/api/handler";
import { revokeCredential } from "@/lib/inventory/credentials";

export const POST = apiMutation(revokeCredential, { input: withPathParams({ id: "credentialId" }) });
