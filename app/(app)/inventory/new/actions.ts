"use server";

import { mutationAction } from "@/lib/auth/action";
import { createIdentity } from "@/lib/inventory/identities";
import { registerFromTemplate } from "@/lib/templates/register";

export const createIdentityAction = mutationAction(createIdentity, {
  success: (identity) => `Registered ${identity.name}.`,
  revalidate: "/inventory",
  returnResult: true,
});

export const registerFromTemplateAction = mutationAction(registerFromTemplate, {
  success: (identity) => `Registered ${identity.name} with its template's access.`,
  revalidate: "/inventory",
  returnResult: true,
});
