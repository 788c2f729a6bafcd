import { apiMutation, apiQuery, assertKnownParams, cursorPageQuery, readQuery } from "@/lib/api/handler";
import { prisma } from "@/lib/db/client";
import { validationError } from "@/lib/errors";
import { createIdentity } from "@/lib/inventory/identities";
import { findIdentitiesAfter, inventoryQuerySchema, parseInventoryQuery } from "@/lib/inventory/query";

/** The inventory table's filters, search and sort, paged by cursor: pass `nextCursor` back as `cursor`. */
export const GET = apiQuery("inventory:read", async ({ request }) => {
  assertKnownParams(request, inventoryQuerySchema, cursorPageQuery);
  const { limit, cursor } = readQuery(request, cursorPageQuery);
  const query = parseInventoryQuery(new URL(request.url).searchParams);
  // An unknown cursor would otherwise answer an empty page, which reads as "no more rows".
  if (cursor && !(await prisma.aiIdentity.findUnique({ where: { id: cursor }, select: { id: true } }))) {
    throw validationError({ cursor: "is not a cursor from this list" });
  }
  const { rows, nextCursor } = await findIdentitiesAfter(prisma, query, cursor, limit);
  return { data: rows, nextCursor };
});

export const POST = apiMutation(createIdentity, { status: 201 });
