"use server";

import { mutationAction } from "@/lib/auth/action";
import { issueAgentToken } from "@/lib/auth/agent";
import { createCredential, revokeCredential, rotateCredential } from "@/lib/inventory/credentials";
import { createGrant, revokeGrant } from "@/lib/inventory/grants";
import { activateIdentity, reactivateIdentity, retireIdentity, suspendIdentity, updateIdentity } from "@/lib/inventory/identities";

export const updateIdentityAction = mutationAction(updateIdentity, {
  success: (identity) => `Saved ${identity.name}.`,
  revalidate: "/inventory",
});

export const activateIdentityAction = mutationAction(activateIdentity, {
  success: (identity) => `Activated ${identity.name}: it is in service.`,
  revalidate: "/inventory",
});

export const suspendIdentityAction = mutationAction(suspendIdentity, {
  success: (identity) => `Suspended ${identity.name}.`,
  revalidate: "/inventory",
});

export const reactivateIdentityAction = mutationAction(reactivateIdentity, {
  success: (identity) => `Reactivated ${identity.name}.`,
  revalidate: "/inventory",
});

export const retireIdentityAction = mutationAction(retireIdentity, {
  success: (identity) => `Retired ${identity.name}. Its grants and credentials are revoked.`,
  revalidate: "/inventory",
});

export const createGrantAction = mutationAction(createGrant, {
  success: (grant) => `Granted ${grant.permission.toLowerCase()}.`,
  revalidate: "/inventory",
});

export const revokeGrantAction = mutationAction(revokeGrant, {
  success: () => "Grant revoked.",
  revalidate: "/inventory",
});

export const createCredentialAction = mutationAction(createCredential, {
  success: (credential) => `Recorded ${credential.label}.`,
  revalidate: "/inventory",
});

export const issueAgentTokenAction = mutationAction(issueAgentToken, {
  success: (token) => `Issued ${token.label}. Copy the token now: it is shown only once.`,
  revalidate: "/inventory",
  returnResult: true,
});

export const rotateCredentialAction = mutationAction(rotateCredential, {
  success: (credential) => `Rotated ${credential.label}.`,
  revalidate: "/inventory",
});

export const revokeCredentialAction = mutationAction(revokeCredential, {
  success: (credential) => `Revoked ${credential.label}.`,
  revalidate: "/inventory",
});
