"use server";

import { mutationAction } from "@/lib/auth/action";
import { activatePolicyVersion, createPolicyVersion } from "@/lib/policy/store";

export const createPolicyVersionAction = mutationAction(createPolicyVersion, {
  success: (result) => `Stored version ${result.number} (${result.policies.length} policies). It is not active until activated below.`,
  revalidate: "/policies",
});

export const activatePolicyVersionAction = mutationAction(activatePolicyVersion, {
  success: (result) => `Version ${result.number} is active.`,
  revalidate: "/policies",
});
