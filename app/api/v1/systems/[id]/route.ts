import { apiMutation, apiQuery, withPathParams } from "@/lib/api/handler";
import { prisma } from "@/lib/db/client";
import { findSystem } from "@/lib/inventory/system-list";
import { updateSystem } from "@/lib/inventory/systems";

export const GET = apiQuery("inventory:read", async ({ params }) => findSystem(prisma, params.id ?? ""));

/** Security leads and admins only: sensitivity and environment re-rate every identity that reaches it. */
export const PATCH = apiMutation(updateSystem, { input: withPathParams({ id: "systemId" }) });
