import "server-only";
import type { z } from "zod";
import { authenticateApiToken } from "@/lib/auth/api-tokens";
import { can, type Actor } from "@/lib/auth/actor";
import { executeMutation, type Mutation } from "@/lib/auth/mutation";
import type { Permission } from "@/lib/auth/permissions";
import { AppError, forbidden, toAppError } from "@/lib/errors";

// Adapters from HTTP to lib/ for everything under /api/v1: bearer-token
// authentication, JSON in and out, and errors in the shape DESIGN.md fixes:
// {"error": {"code", "message", "fields"}}.

type RouteContext = { params: Promise<Record<string, string>> };

export function errorResponse(error: unknown): Response {
  const known = toAppError(error);
  if (known) {
    return Response.json(
      { error: { code: known.code, message: known.message, ...(known.fields ? { fields: known.fields } : {}) } },
      { status: known.status },
    );
  }
  console.error("API request failed", error);
  return Response.json({ error: { code: "internal", message: "Something went wrong on our side." } }, { status: 500 });
}

/** JSON body as an object; a malformed body is a 400 that says so. */
export async function readJsonBody(request: Request): Promise<Record<string, unknown>> {
  const text = await request.text();
  if (text.trim() === "") return {};
  try {
    const body: unknown = JSON.parse(text);
    if (typeof body !== "object" || body === null || Array.isArray(body)) throw new Error("not an object");
    return body as Record<string, unknown>;
  } catch {
    throw new AppError("bad_request", "The request body must be a JSON object.");
  }
}

/** Serializes BigInt (audit sequence numbers) as strings. */
function json(data: unknown, status = 200): Response {
  return new Response(JSON.stringify(data, (_key, value: unknown) => (typeof value === "bigint" ? value.toString() : value)), {
    status,
    headers: { "content-type": "application/json" },
  });
}

/** A read endpoint: authenticate, check the permission, answer. */
export function apiQuery(
  permission: Permission,
  handle: (args: { actor: Actor; request: Request; params: Record<string, string> }) => Promise<unknown>,
) {
  return async (request: Request, context: RouteContext): Promise<Response> => {
    try {
      const actor = await authenticateApiToken(request.headers.get("authorization"));
      if (!can(actor, permission)) throw forbidden("read this");
      return json(await handle({ actor, request, params: await context.params }));
    } catch (error) {
      return errorResponse(error);
    }
  };
}

/** A change endpoint: the mutation's input is built from the path params and the JSON body. */
export function apiMutation<Input extends z.ZodType, Output>(
  mutation: Mutation<Input, Output>,
  options: { status?: number; input?: (body: Record<string, unknown>, params: Record<string, string>) => unknown } = {},
) {
  return async (request: Request, context: RouteContext): Promise<Response> => {
    try {
      // Authenticate and check the role before reading the body: callers who
      // may not act get 401/403 whatever they send.
      const actor = await authenticateApiToken(request.headers.get("authorization"));
      if (!can(actor, mutation.permission)) throw forbidden(mutation.description);
      const body = await readJsonBody(request);
      const params = await context.params;
      const input = options.input ? options.input(body, params) : { ...body, ...params };
      return json(await executeMutation(mutation, actor, input), options.status ?? 200);
    } catch (error) {
      return errorResponse(error);
    }
  };
}
