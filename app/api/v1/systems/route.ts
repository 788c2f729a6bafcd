import { apiMutation, apiQuery, assertKnownParams, cursorPageQuery, readQuery } from "@/lib/api/handler";
import { prisma } from "@/lib/db/client";
import { createSystem } from "@/lib/inventory/systems";
import { findSystemsAfter, systemListQuery } from "@/lib/inventory/system-list";

/** Systems by name, filtered by environment and sensitivity, paged by cursor like the identity list. */
export const GET = apiQuery("inventory:read", async ({ request }) => {
  assertKnownParams(request, systemListQuery, cursorPageQuery);
  const { limit, cursor } = readQuery(request, cursorPageQuery);
  const { rows, nextCursor } = await findSystemsAfter(prisma, readQuery(request, systemListQuery), cursor, limit);
  return { data: rows, nextCursor };
});

export const POST = apiMutation(createSystem, { status: 201 });
