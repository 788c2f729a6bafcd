import { apiMutation } from "@/lib/api/handler";
import { revokeApiToken } from "@/lib/auth/api-tokens";

export const POST = apiMutation(revokeApiToken, { input: (_body, params) => ({ tokenId: params.id }) });
