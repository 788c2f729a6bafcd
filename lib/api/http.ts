import { AppError, toAppError } from "@/lib/errors";
import { clientAddress, RateLimitedError, rateLimits } from "@/lib/rate-limit";
import { appUrl } from "@/lib/env";
import { strictTransportSecurity } from "@/lib/security/headers";

// JSON in and out for every /api route, and the error shape DESIGN.md fixes:
// {"error": {"code", "message", "fields"}}. Nothing here depends on Next, so
// the runtime listener in front of it (lib/api/runtime-listener.ts) answers
// exactly as the route handlers do.

/**
 * HSTS on every /api response when AUTH_URL is https. proxy.ts adds it to
 * pages but does not run for /api, and next.config.ts's headers are fixed at
 * build time while AUTH_URL is read at start, so the API adds its own.
 */
export function withApiHeaders(response: Response): Response {
  const hsts = strictTransportSecurity(appUrl());
  if (!hsts) return response;
  try {
    response.headers.set("Strict-Transport-Security", hsts);
    return response;
  } catch {
    // Redirects made by Response.redirect (Auth.js) have immutable headers: answer a copy.
    const copy = new Response(response.body, { status: response.status, statusText: response.statusText, headers: response.headers });
    copy.headers.set("Strict-Transport-Security", hsts);
    return copy;
  }
}

export function errorResponse(error: unknown): Response {
  const known = toAppError(error);
  if (known) {
    return withApiHeaders(
      Response.json(
        { error: { code: known.code, message: known.message, ...(known.fields ? { fields: known.fields } : {}) } },
        { status: known.status, headers: known instanceof RateLimitedError ? { "retry-after": String(known.retryAfterSeconds) } : {} },
      ),
    );
  }
  console.error("API request failed", error);
  return withApiHeaders(Response.json({ error: { code: "internal", message: "Something went wrong on our side." } }, { status: 500 }));
}

/**
 * No API request needs more than this (the longest field is 10,000
 * characters; CSV import, which takes a whole file, is a form in the browser).
 */
export const MAX_API_BODY_BYTES = 1024 * 1024;

const payloadTooLarge = (limit: number) =>
  new AppError("payload_too_large", `The request body is too large: send at most ${limit / (1024 * 1024)} MiB (${limit} bytes) of JSON.`);

/**
 * The body as text, read chunk by chunk and abandoned as soon as it passes
 * `limit` bytes, so a client cannot make the server buffer an endless body.
 */
export async function readBodyText(request: Request, limit = MAX_API_BODY_BYTES): Promise<string> {
  const declared = Number(request.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > limit) throw payloadTooLarge(limit);
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let received = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    received += value.byteLength;
    if (received > limit) {
      await reader.cancel().catch(() => undefined);
      throw payloadTooLarge(limit);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** JSON body as an object; a malformed body is a 400 that says so, one over `limit` (1 MiB unless given) a 413. */
export async function readJsonBody(request: Request, limit = MAX_API_BODY_BYTES): Promise<Record<string, unknown>> {
  const text = await readBodyText(request, limit);
  if (text.trim() === "") return {};
  try {
    const body: unknown = JSON.parse(text);
    if (typeof body !== "object" || body === null || Array.isArray(body)) throw new Error("not an object");
    return body as Record<string, unknown>;
  } catch {
    throw new AppError("bad_request", "The request body must be a JSON object.");
  }
}

/** A JSON answer with the API headers; BigInt (audit sequence numbers) is serialized as a string. */
export function json(data: unknown, status = 200): Response {
  return withApiHeaders(
    new Response(
      JSON.stringify(data, (_key, value: unknown) => (typeof value === "bigint" ? value.toString() : value)),
      {
        status,
        headers: { "content-type": "application/json" },
      },
    ),
  );
}

/**
 * Runs `authenticate` on the request's Authorization header within the limit
 * on unauthenticated requests per client address: an address that has used
 * it up is refused before the credential is looked up, so a flood of made-up
 * tokens costs no queries, and each failed authentication counts against it.
 * Callers then limit per credential (a person's API token, an agent's token).
 */
export async function authenticateWithinAddressLimit<Caller>(
  request: Request,
  authenticate: (authorization: string | null) => Promise<Caller>,
): Promise<Caller> {
  const address = clientAddress(request.headers);
  if (rateLimits.apiAnonymous.isExhausted(address)) rateLimits.apiAnonymous.take(address);
  try {
    return await authenticate(request.headers.get("authorization"));
  } catch (error) {
    if (error instanceof AppError && error.code === "unauthenticated") rateLimits.apiAnonymous.take(address);
    throw error;
  }
}
