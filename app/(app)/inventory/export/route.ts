import { errorResponse } from "@/lib/api/handler";
import { can } from "@/lib/auth/actor";
import { getSessionActor } from "@/lib/auth/session";
import { prisma } from "@/lib/db/client";
import { readInSnapshot } from "@/lib/db/snapshot";
import { forbidden, unauthenticated } from "@/lib/errors";
import { findIdentitiesByIds } from "@/lib/inventory/bulk";
import { inventoryCsvStream } from "@/lib/inventory/csv";
import { parseInventoryQuery, streamIdentities } from "@/lib/inventory/query";
import { rateLimits } from "@/lib/rate-limit";

// CSV of the inventory for the signed-in browser: the same search params as
// the table (every matching row, not one page), or ?id=…&id=… for the rows
// selected in it. Rows are streamed from the database in batches, all from
// one snapshot, so edits made during a long export cannot skip or repeat a row.

async function* fromArray<T>(rows: T[]) {
  yield* rows;
}

export async function GET(request: Request): Promise<Response> {
  try {
    const actor = await getSessionActor();
    if (!actor) throw unauthenticated();
    if (!can(actor, "inventory:read")) throw forbidden("export the inventory");
    rateLimits.export.take(actor.userId);
    const params = new URL(request.url).searchParams;
    const ids = params.getAll("id");
    params.delete("id");
    const query = parseInventoryQuery(params);
    const rows = ids.length > 0 ? fromArray(await findIdentitiesByIds(prisma, ids, query)) : readInSnapshot(prisma, (tx) => streamIdentities(tx, query));
    const date = new Date().toISOString().slice(0, 10);
    return new Response(inventoryCsvStream(rows), {
      headers: {
        "content-type": "text/csv; charset=utf-8",
        "content-disposition": `attachment; filename="warrant-inventory-${date}.csv"`,
        "cache-control": "no-store",
      },
    });
  } catch (error) {
    return errorResponse(error);
  }
}
