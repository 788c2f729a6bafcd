import { readdirSync } from "node:fs";
import path from "node:path";

// A `fetch` that answers /api/v1/… URLs with the real route handlers
// in-process, finding each route's folder as Next does ([param] folders
// match any segment). Clients under test (lib/client) run unchanged against it.

type Handler = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;

const API_DIR = path.resolve("app/api/v1");

function findRoute(segments: string[]): { dir: string; params: Record<string, string> } | null {
  let dir = API_DIR;
  const params: Record<string, string> = {};
  for (const segment of segments) {
    const entries = readdirSync(dir, { withFileTypes: true }).filter((entry) => entry.isDirectory());
    const exact = entries.find((entry) => entry.name === segment);
    const dynamic = entries.find((entry) => /^\[\w+\]$/.test(entry.name));
    if (exact) dir = path.join(dir, exact.name);
    else if (dynamic) {
      params[dynamic.name.slice(1, -1)] = decodeURIComponent(segment);
      dir = path.join(dir, dynamic.name);
    } else return null;
  }
  return { dir, params };
}

export const routeFetch: typeof fetch = async (input, init) => {
  const request = new Request(input, init);
  const url = new URL(request.url);
  const segments = url.pathname
    .replace(/^\/api\/v1\//, "")
    .split("/")
    .filter(Boolean);
  const route = url.pathname.startsWith("/api/v1/") ? findRoute(segments) : null;
  if (!route) return Response.json({ error: { code: "not_found", message: "No such route" } }, { status: 404 });
  const handlers = (await import(path.join(route.dir, "route.ts"))) as Record<string, Handler>;
  const handler = handlers[request.method];
  if (!handler) return Response.json({ error: { code: "not_found", message: "No such method" } }, { status: 405 });
  return handler(request, { params: Promise.resolve(route.params) });
};
