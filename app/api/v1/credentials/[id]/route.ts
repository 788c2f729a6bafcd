import { apiQuery } from "@/lib/api/handler";
import { prisma } from "@/lib/db/client";
import { findCredential } from "@/lib/inventory/credentials";

export const GET = apiQuery("inventory:read", async ({ params }) => findCredential(prisma, params.id ?? ""));
