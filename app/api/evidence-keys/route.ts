import { withApiHeaders } from "@/lib/api/handler";
import { prisma } from "@/lib/db/client";
import { publishedEvidenceKeys } from "@/lib/evidence/keys";

// The public keys that verify evidence packages' manifests, served at
// /.well-known/warrant-evidence-keys.json (next.config.ts rewrites it here). Every key ever used
// stays listed: packages are verified long after they were built.
export async function GET() {
  return withApiHeaders(Response.json(await publishedEvidenceKeys(prisma), { headers: { "cache-control": "public, max-age=300" } }));
}
