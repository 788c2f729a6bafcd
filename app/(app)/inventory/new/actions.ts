"use server";

import { mutationAction } from "@/lib/auth/action";
import { createIdentity } from "@/lib/inventory/identities";

export const createIdentityAction = mutationAction(createIdentity, {
  success: (identity) => `Registered ${identity.name}.`,
  revalidate: "/inventory",
  returnResult: true,
});
