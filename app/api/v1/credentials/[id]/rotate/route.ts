import { apiMutation, withPathParams } from "@/lib/api/handler";
import { rotateCredential } from "@/lib/inventory/credentials";

/** Records that the secret was replaced elsewhere: send the new fingerprint. */
export const POST = apiMutation(rotateCredential, { input: withPathParams({ id: "credentialId" }) });
