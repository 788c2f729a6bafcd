import { apiQuery } from "@/lib/api/handler";
import { prisma } from "@/lib/db/client";
import { getPackage } from "@/lib/evidence/queries";

export const GET = apiQuery("evidence:export", async ({ params }) => getPackage(prisma, params.id!));
