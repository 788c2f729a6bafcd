import { apiMutation, withPathParams } from "@/lib/api/handler";
import { setUserRoles } from "@/lib/users/mutations";

/** PATCH {"roles": [...], "justification"?: "..."} replaces the user's roles (admin or security lead needs approval). */
export const PATCH = apiMutation(setUserRoles, { input: withPathParams({ id: "userId" }) });
