import { findAccessGrantsOfIdentity } from "@/lib/access/grants";
import { apiQuery } from "@/lib/api/handler";
import { prisma } from "@/lib/db/client";

/** The identity's just-in-time access, newest first (the last 50). */
export const GET = apiQuery("inventory:read", async ({ params }) => ({
  accessGrants: await findAccessGrantsOfIdentity(prisma, params.id!),
}));
