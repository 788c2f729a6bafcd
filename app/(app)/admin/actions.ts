"use server";

import { mutationAction } from "@/lib/auth/action";
import { createApiToken, revokeApiToken } from "@/lib/auth/api-tokens";
import { createUser, deactivateUser, reactivateUser, setUserRoles } from "@/lib/users/mutations";

export const createUserAction = mutationAction(createUser, {
  success: (user) => `Added ${user.email}.`,
  revalidate: "/admin",
});

export const setUserRolesAction = mutationAction(setUserRoles, {
  success: (user) => `Saved roles for ${user.email}.`,
  revalidate: "/admin",
});

export const deactivateUserAction = mutationAction(deactivateUser, {
  success: (user) => `Deactivated ${user.email}. Their sessions and API tokens no longer work.`,
  revalidate: "/admin",
});

export const reactivateUserAction = mutationAction(reactivateUser, {
  success: (user) => `Reactivated ${user.email}.`,
  revalidate: "/admin",
});

export const createApiTokenAction = mutationAction(createApiToken, {
  success: (token) => `Created ${token.name}. Copy the token now: it is shown only once.`,
  revalidate: "/admin",
  returnResult: true,
});

export const revokeApiTokenAction = mutationAction(revokeApiToken, {
  success: () => "Token revoked.",
  revalidate: "/admin",
});
