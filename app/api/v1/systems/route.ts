import { apiMutation, apiQuery, assertKnownParams, cursorPageQuery, readQuery } from "@/lib/api/handler";
import { prisma } from "@/lib/db/client";
import { validationError } from "@/lib/errors";
import { createSystem } from "@/lib/inventory/systems";

/** Every system by name, paged by cursor like the identity list. */
export const GET = apiQuery("inventory:read", async ({ request }) => {
  assertKnownParams(request, cursorPageQuery);
  const { limit, cursor } = readQuery(request, cursorPageQuery);
  if (cursor && !(await prisma.system.findUnique({ where: { id: cursor }, select: { id: true } }))) {
    throw validationError({ cursor: "is not a cursor from this list" });
  }
  const rows = await prisma.system.findMany({
    orderBy: [{ name: "asc" }, { environment: "asc" }, { id: "asc" }],
    take: limit + 1,
    ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}),
  });
  const hasMore = rows.length > limit;
  const data = hasMore ? rows.slice(0, limit) : rows;
  return { data, nextCursor: hasMore ? data.at(-1)!.id : null };
});

export const POST = apiMutation(createSystem, { status: 201 });
