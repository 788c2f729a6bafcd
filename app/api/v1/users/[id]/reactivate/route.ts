import { apiMutation } from "@/lib/api/handler";
import { reactivateUser } from "@/lib/users/mutations";

export const POST = apiMutation(reactivateUser, { input: (_body, params) => ({ userId: params.id }) });
