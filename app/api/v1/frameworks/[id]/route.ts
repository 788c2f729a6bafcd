import { apiQuery } from "@/lib/api/handler";
import { getFramework } from "@/lib/controls/frameworks";
import { prisma } from "@/lib/db/client";

export const GET = apiQuery("controls:read", async ({ params }) => getFramework(prisma, params.id!));
