import { apiQuery } from "@/lib/api/handler";
import { prisma } from "@/lib/db/client";
import { getDecision } from "@/lib/policy/decisions";

export const GET = apiQuery("policies:read", async ({ actor, params }) => getDecision(prisma, actor, params.id!));
