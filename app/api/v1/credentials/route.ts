import { apiMutation } from "@/lib/api/handler";
import { createCredential } from "@/lib/inventory/credentials";

/** Records a credential's metadata and fingerprint; anything that looks like the secret itself is refused. */
export const POST = apiMutation(createCredential, { status: 201 });
