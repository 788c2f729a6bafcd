import { apiMutation } from "@/lib/api/handler";
import { deactivateUser } from "@/lib/users/mutations";

export const POST = apiMutation(deactivateUser, { input: (_body, params) => ({ userId: params.id }) });
