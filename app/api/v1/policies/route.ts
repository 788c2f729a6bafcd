import { apiMutation, apiQuery } from "@/lib/api/handler";
import { prisma } from "@/lib/db/client";
import { activePolicyVersion, createPolicyVersion, listPolicyVersions } from "@/lib/policy/store";

/** Every version, newest first, with which one is active (installing the defaults on a fresh install). */
export const GET = apiQuery("policies:read", async () => {
  await activePolicyVersion(prisma);
  return { versions: await listPolicyVersions(prisma) };
});

export const POST = apiMutation(createPolicyVersion, { status: 201 });
