import { apiQuery } from "@/lib/api/handler";
import { getControl } from "@/lib/controls/queries";
import { prisma } from "@/lib/db/client";

export const GET = apiQuery("controls:read", async ({ params }) => getControl(prisma, params.key!));
