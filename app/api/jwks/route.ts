import { jwks } from "@/lib/access/keys";
import { withApiHeaders } from "@/lib/api/handler";
import { prisma } from "@/lib/db/client";

// The public keys that verify just-in-time tokens, served at /.well-known/jwks.json
// (next.config.ts rewrites it here: Next does not route folders whose name starts with a dot).
// Public, and cacheable for a minute: a verifier meeting an unknown kid fetches again.
export async function GET() {
  return withApiHeaders(Response.json(await jwks(prisma), { headers: { "cache-control": "public, max-age=60" } }));
}
