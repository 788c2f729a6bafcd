import { apiQuery } from "@/lib/api/handler";
import { listFrameworks } from "@/lib/controls/frameworks";
import { prisma } from "@/lib/db/client";

export const GET = apiQuery("controls:read", async () => ({ frameworks: await listFrameworks(prisma) }));
