import { apiQuery } from "@/lib/api/handler";
import { prisma } from "@/lib/db/client";
import { findGrant } from "@/lib/inventory/grants";

export const GET = apiQuery("inventory:read", async ({ params }) => findGrant(prisma, params.id ?? ""));
