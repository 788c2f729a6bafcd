import { apiMutation } from "@/lib/api/handler";
import { setUserRoles } from "@/lib/users/mutations";

/** PATCH {"roles": [...]} replaces the user's roles. */
export const PATCH = apiMutation(setUserRoles, { input: (body, params) => ({ roles: body.roles, userId: params.id }) });
