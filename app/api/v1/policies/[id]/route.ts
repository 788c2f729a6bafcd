import { apiQuery } from "@/lib/api/handler";
import { prisma } from "@/lib/db/client";
import { getPolicyVersion } from "@/lib/policy/store";

export const GET = apiQuery("policies:read", async ({ params }) => getPolicyVersion(prisma, params.id!));
