import { apiMutation, apiQuery, withPathParams } from "@/lib/api/handler";
import { prisma } from "@/lib/db/client";
import { notFound } from "@/lib/errors";
import { updateSystem } from "@/lib/inventory/systems";

export const GET = apiQuery("inventory:read", async ({ params }) => {
  const system = await prisma.system.findUnique({ where: { id: params.id } });
  if (!system) throw notFound("That system");
  return system;
});

/** Security leads and admins only: sensitivity and environment re-rate every identity that reaches it. */
export const PATCH = apiMutation(updateSystem, { input: withPathParams({ id: "systemId" }) });
