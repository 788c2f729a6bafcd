import "server-only";
import { z } from "zod";
import { authenticateApiToken } from "@/lib/auth/api-tokens";
import { can, type Actor } from "@/lib/auth/actor";
import { executeMutation, type Mutation } from "@/lib/auth/mutation";
import { SentForApproval } from "@/lib/approvals/request";
import type { Permission } from "@/lib/auth/permissions";
import { MAX_API_PAGE_SIZE } from "@/lib/inventory/query";
import { AppError, fieldErrorsFromZod, forbidden, toAppError, validationError } from "@/lib/errors";
import { clientAddress, rateLimits, RateLimitedError, type RateLimiter } from "@/lib/rate-limit";
import { screenParameters } from "@/lib/validation/raw-input";
import { appUrl } from "@/lib/env";
import { strictTransportSecurity } from "@/lib/security/headers";

// Adapters from HTTP to lib/ for everything under /api/v1: bearer-token
// authentication, JSON in and out, and errors in the shape DESIGN.md fixes:
// {"error": {"code", "message", "fields"}}.

type RouteContext = { params: Promise<Record<string, string>> };

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

const payloadTooLarge = () =>
  new AppError("payload_too_large", `The request body is too large: send at most 1 MiB (${MAX_API_BODY_BYTES} bytes) of JSON.`);

/**
 * The body as text, read chunk by chunk and abandoned as soon as it passes
 * `limit` bytes, so a client cannot make the server buffer an endless body.
 */
export async function readBodyText(request: Request, limit = MAX_API_BODY_BYTES): Promise<string> {
  const declared = Number(request.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > limit) throw payloadTooLarge();
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
      throw payloadTooLarge();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** JSON body as an object; a malformed body is a 400 that says so, one over 1 MiB a 413. */
export async function readJsonBody(request: Request): Promise<Record<string, unknown>> {
  const text = await readBodyText(request);
  if (text.trim() === "") return {};
  try {
    const body: unknown = JSON.parse(text);
    if (typeof body !== "object" || body === null || Array.isArray(body)) throw new Error("not an object");
    return body as Record<string, unknown>;
  } catch {
    throw new AppError("bad_request", "The request body must be a JSON object.");
  }
}

/** A request's search params as a record; a repeated key (?status=A&status=B) becomes an array. */
export function searchParamsRecord(request: Request): Record<string, string | string[]> {
  const params = new URL(request.url).searchParams;
  const record: Record<string, string | string[]> = {};
  for (const key of new Set(params.keys())) {
    const values = params.getAll(key);
    record[key] = values.length > 1 ? values : values[0]!;
  }
  return record;
}

/**
 * A machine client that misspells a filter would silently get everything, so
 * a search param that none of the endpoint's schemas knows is a 422.
 */
export function assertKnownParams(request: Request, ...schemas: z.ZodObject[]): void {
  const known = new Set(schemas.flatMap((schema) => Object.keys(schema.shape)));
  const unknown = Object.keys(searchParamsRecord(request)).filter((key) => !known.has(key));
  if (unknown.length > 0) throw validationError(Object.fromEntries(unknown.map((key) => [key, "is not a known parameter"])));
}

/** Parses search params with a schema; a bad param is a 422 naming it. */
export function readQuery<Schema extends z.ZodType>(request: Request, schema: Schema): z.output<Schema> {
  const result = schema.safeParse(searchParamsRecord(request));
  if (!result.success) throw validationError(fieldErrorsFromZod(result.error));
  return result.data;
}

const DEFAULT_PAGE_LIMIT = 100;

/** Cursor paging for list endpoints: `limit` rows after the row whose id is `cursor`. */
export const cursorPageQuery = z.object({
  limit: z.preprocess(
    (value) => (value === "" ? undefined : value),
    z.coerce
      .number({ message: "must be a number" })
      .int({ message: "must be a whole number" })
      .min(1, { message: "must be at least 1" })
      .max(MAX_API_PAGE_SIZE, { message: `must be at most ${MAX_API_PAGE_SIZE}` })
      .default(DEFAULT_PAGE_LIMIT),
  ),
  cursor: z.preprocess(
    (value) => (value === "" ? undefined : value),
    z.string().trim().min(1).max(200, { message: "is not a cursor from this list" }).optional(),
  ),
});

/**
 * A mutation's input from the JSON body plus path params renamed to the
 * input's fields, e.g. { id: "identityId" }. The path wins over the body, so
 * a body cannot redirect the change to another record.
 */
export function withPathParams(fields: Record<string, string>) {
  return (body: Record<string, unknown>, params: Record<string, string>) => ({
    ...body,
    ...Object.fromEntries(Object.entries(fields).map(([param, field]) => [field, params[param]])),
  });
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
 * The request's token as an actor, within the rate limits: per token once it
 * is known, and per client address for requests without a valid one. An
 * address that has used up its unauthenticated requests is refused before the
 * token is looked up, so a flood of made-up tokens costs no queries.
 */
async function authenticateWithinLimits(request: Request): Promise<Actor> {
  const address = clientAddress(request.headers);
  if (rateLimits.apiAnonymous.isExhausted(address)) rateLimits.apiAnonymous.take(address);
  let actor: Actor;
  try {
    actor = await authenticateApiToken(request.headers.get("authorization"));
  } catch (error) {
    if (error instanceof AppError && error.code === "unauthenticated") rateLimits.apiAnonymous.take(address);
    throw error;
  }
  if (actor.kind === "api_token") rateLimits.api.take(actor.tokenId);
  return actor;
}

/** Wraps a route handler (e.g. Auth.js's) so each client address gets `limiter`'s requests a minute. */
export function withRateLimit<R extends Request>(limiter: RateLimiter, handler: (request: R) => Promise<Response>) {
  return async (request: R): Promise<Response> => {
    try {
      limiter.take(clientAddress(request.headers));
    } catch (error) {
      return errorResponse(error);
    }
    return withApiHeaders(await handler(request));
  };
}

/**
 * Search and path parameters go into queries too, so they get the same
 * length and NUL checks as a mutation's fields (lib/validation/raw-input.ts):
 * a 422 naming the parameter instead of a database error.
 */
function screenParams(request: Request, params: Record<string, string>): void {
  const refused = screenParameters({ ...searchParamsRecord(request), ...params });
  if (Object.keys(refused).length > 0) throw validationError(refused);
}

/** A read endpoint: authenticate, check the permission, answer. */
export function apiQuery(
  permission: Permission,
  handle: (args: { actor: Actor; request: Request; params: Record<string, string> }) => Promise<unknown>,
) {
  return async (request: Request, context: RouteContext): Promise<Response> => {
    try {
      const actor = await authenticateWithinLimits(request);
      if (!can(actor, permission)) throw forbidden("read this");
      const params = await context.params;
      screenParams(request, params);
      return json(await handle({ actor, request, params }));
    } catch (error) {
      return errorResponse(error);
    }
  };
}

/**
 * A change endpoint: the mutation's input is built from the path params and
 * the JSON body. `?dryRun=1` previews it (validated, authorized, run, rolled back).
 */
export function apiMutation<Input extends z.ZodType, Output>(
  mutation: Mutation<Input, Output>,
  options: { status?: number; input?: (body: Record<string, unknown>, params: Record<string, string>) => unknown } = {},
) {
  return async (request: Request, context: RouteContext): Promise<Response> => {
    try {
      // Authenticate and check the role before reading the body: callers who
      // may not act get 401/403 whatever they send.
      const actor = await authenticateWithinLimits(request);
      if (!can(actor, mutation.permission)) throw forbidden(mutation.description);
      const body = await readJsonBody(request);
      const params = await context.params;
      screenParams(request, params);
      const input = options.input ? options.input(body, params) : { ...body, ...params };
      // ?dryRun=1 runs the whole change, answers as if it happened, and rolls it back.
      const dryRun = new URL(request.url).searchParams.get("dryRun") === "1";
      return json(await executeMutation(mutation, actor, input, undefined, { dryRun }), options.status ?? 200);
    } catch (error) {
      // Accepted, not applied: the change waits for approval (202 with the request).
      if (error instanceof SentForApproval) return json({ approvalRequest: error.request }, 202);
      return errorResponse(error);
    }
  };
}
