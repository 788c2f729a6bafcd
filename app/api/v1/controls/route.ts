import { apiQuery } from "@/lib/api/handler";
import { listControls } from "@/lib/controls/queries";
import { prisma } from "@/lib/db/client";

export const GET = apiQuery("controls:read", async () => ({ controls: await listControls(prisma) }));
