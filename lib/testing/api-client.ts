import path from "node:path";

// Calls the real /api/v1 route handlers in-process with real Request objects,
// as a client would over HTTP, for integration tests.

type Handler = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- response bodies are checked field by field
export type ApiBody = Record<string, any>;

const API_DIR = path.resolve("app/api/v1");

/** Calls the handler in app/api/v1/<route>/route.ts, e.g. route "identities/[id]/suspend" with params { id }. */
export async function callApi(
  method: string,
  route: string,
  token: string | undefined,
  options: { params?: Record<string, string>; body?: unknown; query?: string } = {},
) {
  const params = options.params ?? {};
  const handlers = (await import(path.join(API_DIR, route, "route.ts"))) as Record<string, Handler>;
  const handler = handlers[method];
  if (!handler) throw new Error(`${route} has no ${method}`);
  const urlPath = route.replace(/\[(\w+)\]/g, (_match, name: string) => encodeURIComponent(params[name] ?? ""));
  const request = new Request(`http://localhost/api/v1/${urlPath}${options.query ? `?${options.query}` : ""}`, {
    method,
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const response = await handler(request, { params: Promise.resolve(params) });
  return { status: response.status, body: (await response.json()) as ApiBody };
}

/** The same calls bound to one caller's token. */
export const apiAs = (token: string | undefined) => ({
  get: (route: string, params?: Record<string, string>, query?: string) => callApi("GET", route, token, { params, query }),
  post: (route: string, body?: unknown, params?: Record<string, string>) => callApi("POST", route, token, { body: body ?? {}, params }),
  patch: (route: string, body: unknown, params: Record<string, string>) => callApi("PATCH", route, token, { body, params }),
});
