import { apiMutation, apiQuery, assertKnownParams, cursorPageQuery, readQuery } from "@/lib/api/handler";
import { prisma } from "@/lib/db/client";
import { createIdentity } from "@/lib/inventory/identities";
import { findIdentitiesAfter, inventoryQuerySchema, parseInventoryQuery } from "@/lib/inventory/query";

/** The inventory table's filters, search and sort, paged by cursor: pass `nextCursor` back as `cursor`. */
export const GET = apiQuery("inventory:read", async ({ request }) => {
  assertKnownParams(request, inventoryQuerySchema, cursorPageQuery);
  const { limit, cursor } = readQuery(request, cursorPageQuery);
  const query = parseInventoryQuery(new URL(request.url).searchParams);
  const { rows, nextCursor } = await findIdentitiesAfter(prisma, query, cursor, limit);
  return { data: rows, nextCursor };
});

export const POST = apiMutation(createIdentity, { status: 201 });
