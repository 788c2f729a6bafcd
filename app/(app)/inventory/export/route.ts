import { errorResponse } from "@/lib/api/handler";
import { can } from "@/lib/auth/actor";
import { getSessionActor } from "@/lib/auth/session";
import { forbidden, unauthenticated } from "@/lib/errors";
import { openInventoryExport } from "@/lib/inventory/export";

// CSV of the inventory for the signed-in browser (see lib/inventory/export.ts
// for what is exported and the limits on exports).

export async function GET(request: Request): Promise<Response> {
  try {
    const actor = await getSessionActor();
    if (!actor) throw unauthenticated();
    if (!can(actor, "inventory:read")) throw forbidden("export the inventory");
    const body = await openInventoryExport(actor, new URL(request.url).searchParams);
    const date = new Date().toISOString().slice(0, 10);
    return new Response(body, {
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
