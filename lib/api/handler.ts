import "server-only";
import { z } from "zod";
import { authenticateApiToken } from "@/lib/auth/api-tokens";
import { can, type Actor } from "@/lib/auth/actor";
import { executeMutation, type Mutation } from "@/lib/auth/mutation";
import { SentForApproval } from "@/lib/approvals/request";
import type { Permission } from "@/lib/auth/permissions";
import { MAX_API_PAGE_SIZE } from "@/lib/inventory/query";
import { fieldErrorsFromZod, forbidden, validationError } from "@/lib/errors";
import { clientAddress, rateLimits, type RateLimiter } from "@/lib/rate-limit";
import { screenParameters } from "@/lib/validation/raw-input";
import { authenticateWithinAddressLimit, errorResponse, json, readJsonBody, withApiHeaders } from "./http";

// Adapters from HTTP to lib/ for everything under /api/v1 that people and
// their scripts call: bearer-token authentication, query and body parsing.
// JSON in and out and the error shape are in ./http (re-exported here, so a
// route imports its whole toolkit from one place).

export { errorResponse, json, MAX_API_BODY_BYTES, readBodyText, readJsonBody, withApiHeaders } from "./http";

type RouteContext = { params: Promise<Record<string, string>> };

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

/** The request's token as an actor, within the rate limits: per client address until it is known, then per token. */
async function authenticateWithinLimits(request: Request): Promise<Actor> {
  const actor = await authenticateWithinAddressLimit(request, authenticateApiToken);
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
      // A handler that streams a file (an evidence package) answers with its own Response.
      const result = await handle({ actor, request, params });
      return result instanceof Response ? withApiHeaders(result) : json(result);
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
  options: {
    status?: number;
    input?: (body: Record<string, unknown>, params: Record<string, string>) => unknown;
    /** A larger body than the API's 1 MiB, for the one endpoint whose input is a whole document (a scan report). */
    maxBodyBytes?: number;
  } = {},
) {
  return async (request: Request, context: RouteContext): Promise<Response> => {
    try {
      // Authenticate and check the role before reading the body: callers who
      // may not act get 401/403 whatever they send.
      const actor = await authenticateWithinLimits(request);
      if (!can(actor, mutation.permission)) throw forbidden(mutation.description);
      const body = await readJsonBody(request, options.maxBodyBytes);
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
