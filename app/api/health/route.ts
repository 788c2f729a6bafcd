import { withApiHeaders } from "@/lib/api/handler";
import { checkHealth } from "@/lib/health";

// For load balancers and probes: 200 when the app can reach its database, 503 when not.
export async function GET() {
  const health = await checkHealth();
  return withApiHeaders(Response.json(health, { status: health.status === "ok" ? 200 : 503, headers: { "cache-control": "no-store" } }));
}
