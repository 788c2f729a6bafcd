import { apiMutation } from "@/lib/api/handler";
import { createApiToken } from "@/lib/auth/api-tokens";

/** Creates a token for the caller; the response holds the secret, once. */
export const POST = apiMutation(createApiToken, { status: 201 });
