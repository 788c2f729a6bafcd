import { errorResponse } from "@/lib/api/handler";
import { can } from "@/lib/auth/actor";
import { getSessionActor } from "@/lib/auth/session";
import { prisma } from "@/lib/db/client";
import { forbidden, unauthenticated } from "@/lib/errors";
import { searchPeople } from "@/lib/users/queries";

// Type-ahead for the browser's owner pickers (signed-in session, not an API
// token): GET /people?q=ada&assignable=1 → { people: [{ id, label }] }.
export async function GET(request: Request): Promise<Response> {
  try {
    const actor = await getSessionActor();
    if (!actor) throw unauthenticated();
    if (!can(actor, "inventory:read")) throw forbidden("look people up");
    const params = new URL(request.url).searchParams;
    const people = await searchPeople(prisma, (params.get("q") ?? "").slice(0, 100), { assignable: params.get("assignable") === "1" });
    return Response.json({ people }, { headers: { "cache-control": "no-store" } });
  } catch (error) {
    return errorResponse(error);
  }
}
