import { readdir } from "node:fs/promises";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { createTestToken, createTestUser } from "@/lib/testing/factories";

// The OpenAPI document is served at /api/v1/openapi.json without a token and
// must describe exactly the routes that exist: the test walks app/api/v1 and
// compares. Its request schemas come from the handlers' own zod schemas, so a
// route's documented required fields are the ones its handler reports missing.

type Handler = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- walking an arbitrary JSON document
type Json = any;
const API_DIR = path.resolve("app/api/v1");
const HTTP_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;

async function routeFiles(): Promise<string[]> {
  const entries = await readdir(API_DIR, { recursive: true, withFileTypes: true });
  return entries.filter((entry) => entry.name === "route.ts").map((entry) => path.join(entry.parentPath, entry.name));
}

/** app/api/v1/identities/[id]/route.ts → /identities/{id} */
function apiPathOf(file: string): string {
  return `/${path.relative(API_DIR, path.dirname(file)).split(path.sep).join("/")}`.replace(/\[(\w+)\]/g, "{$1}");
}

let doc: Json;
let servedText: string;

beforeAll(async () => {
  const { GET } = (await import(path.join(API_DIR, "openapi.json/route.ts"))) as { GET: Handler };
  // No Authorization header: the document is public.
  const response = await GET(new Request("http://localhost/api/v1/openapi.json"), { params: Promise.resolve({}) });
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toMatch(/^application\/json/);
  servedText = await response.text();
  doc = JSON.parse(servedText);
});

function operations(): { key: string; apiPath: string; method: string; op: Json }[] {
  return Object.entries(doc.paths as Record<string, Record<string, Json>>).flatMap(([apiPath, methods]) =>
    Object.entries(methods).map(([method, op]) => ({ key: `${method.toUpperCase()} ${apiPath}`, apiPath, method, op })),
  );
}

/** Follows a local "#/components/…" reference. */
function resolve(ref: string): Json {
  return ref
    .replace(/^#\//, "")
    .split("/")
    .reduce((node: Json, key) => node?.[key], doc);
}

describe("GET /api/v1/openapi.json", () => {
  it("is an OpenAPI 3.1 document served as JSON without authentication", () => {
    expect(() => JSON.parse(servedText)).not.toThrow();
    expect(doc.openapi).toBe("3.1.0");
    expect(doc.info).toMatchObject({ title: "Warrant API", version: expect.any(String) });
    expect(doc.servers).toEqual([{ url: "/api/v1" }]);
    expect(doc.components.securitySchemes.bearerAuth).toMatchObject({ type: "http", scheme: "bearer" });
    expect(doc.security).toEqual([{ bearerAuth: [] }]);
    expect(doc.paths["/openapi.json"].get.security).toEqual([]);
  });

  it("lists exactly the routes under app/api/v1, method by method", async () => {
    const fromFiles: string[] = [];
    for (const file of await routeFiles()) {
      const handlers = (await import(file)) as Record<string, unknown>;
      for (const method of HTTP_METHODS) if (typeof handlers[method] === "function") fromFiles.push(`${method} ${apiPathOf(file)}`);
    }
    expect(fromFiles.length).toBeGreaterThanOrEqual(28);
    expect(
      operations()
        .map((entry) => entry.key)
        .sort(),
    ).toEqual(fromFiles.sort());
  });

  it("has no DELETE: nothing in Warrant is hard-deleted", () => {
    expect(operations().filter((entry) => entry.method === "delete")).toEqual([]);
  });

  it("requires name, kind, purpose, environment, ownerId and expiresAt to register an identity, with dates as date-time strings", () => {
    const schema = doc.paths["/identities"].post.requestBody.content["application/json"].schema;
    expect([...schema.required].sort()).toEqual(["environment", "expiresAt", "kind", "name", "ownerId", "purpose"]);
    expect(schema.properties.expiresAt).toEqual({ type: "string", format: "date-time" });
    expect(schema.properties.kind.enum).toContain("CODING_AGENT");
    // A field with a default is optional for the client.
    expect(schema.properties.autonomy.default).toBe("SUGGEST");
    expect(schema.required).not.toContain("autonomy");
    const credential = doc.paths["/credentials"].post.requestBody.content["application/json"].schema;
    expect(credential.properties.issuedAt).toEqual({ type: "string", format: "date-time" });
    expect(credential.properties.lastUsedAt).toEqual({ type: "string", format: "date-time" });
  });

  it("leaves path-supplied fields out of request bodies and declares every path parameter", () => {
    const patch = doc.paths["/identities/{id}"].patch;
    expect(patch.requestBody.content["application/json"].schema.properties).not.toHaveProperty("identityId");
    expect(patch.requestBody.content["application/json"].schema.properties).not.toHaveProperty("environment");
    for (const { key, apiPath, op } of operations()) {
      const templated = [...apiPath.matchAll(/\{(\w+)\}/g)].map((match) => match[1]).sort();
      const declared = (op.parameters as Json[])
        .filter((p) => p.in === "path")
        .map((p) => p.name)
        .sort();
      expect(declared, key).toEqual(templated);
    }
  });

  it("documents the inventory list's filters and paging as query parameters", () => {
    const params = Object.fromEntries((doc.paths["/identities"].get.parameters as Json[]).map((p) => [p.name, p]));
    expect(Object.keys(params)).toEqual(
      expect.arrayContaining(["q", "status", "kind", "environment", "risk", "ownerId", "sort", "dir", "limit", "cursor"]),
    );
    expect(params.limit.schema).toMatchObject({ type: "integer", minimum: 1, maximum: 500, default: 100 });
    expect(params.status.schema.items.enum).toContain("ACTIVE");
  });

  it("gives every operation a unique id, its errors in the shared shape, and only references that resolve", () => {
    const ids = operations().map((entry) => entry.op.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(doc.components.schemas.Error.properties.error.required).toEqual(["code", "message"]);
    expect(doc.components.schemas.Error.properties.error.properties.code.enum).toEqual(
      expect.arrayContaining(["unauthenticated", "forbidden", "not_found", "conflict", "validation_failed"]),
    );
    for (const { key, op } of operations()) {
      if (op.security?.length === 0) continue;
      expect(Object.keys(op.responses), key).toEqual(expect.arrayContaining(["401", "403"]));
      if (op.requestBody) expect(Object.keys(op.responses), key).toContain("422");
      if (key.includes("{id}")) expect(Object.keys(op.responses), key).toContain("404");
    }
    const refs = [...servedText.matchAll(/"\$ref":"([^"]+)"/g)].map((match) => match[1]!);
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of refs) expect(resolve(ref), ref).toBeDefined();
  });
});

describe("the document agrees with the handlers", () => {
  let token: string;
  beforeAll(async () => {
    // Admin for users and webhooks, security lead for policy versions and evidence: between them every create endpoint.
    token = await createTestToken((await createTestUser(["ADMIN", "SECURITY_LEAD"])).user.email);
  });

  it("each create endpoint, sent {}, reports every documented required field and only documented fields", async () => {
    // Runtime endpoints take an agent's token, not a person's: authorize-api.test.ts covers their validation.
    const creates = operations().filter(
      (entry) => entry.method === "post" && !entry.apiPath.includes("{") && entry.op.requestBody && !entry.op.security?.length,
    );
    // POST /api-tokens documents no body: API tokens cannot create tokens (403 whatever they send).
    expect(creates.map((entry) => entry.apiPath).sort()).toEqual([
      "/campaigns",
      "/credentials",
      "/discovery/scans",
      "/evidence-packages",
      "/frameworks",
      "/grants",
      "/identities",
      "/policies",
      "/reviews",
      "/systems",
      "/templates",
      "/users",
      "/webhooks",
    ]);
    for (const { apiPath, op } of creates) {
      const { POST } = (await import(path.join(API_DIR, apiPath, "route.ts"))) as { POST: Handler };
      const response = await POST(
        new Request(`http://localhost/api/v1${apiPath}`, { method: "POST", headers: { authorization: `Bearer ${token}` }, body: "{}" }),
        { params: Promise.resolve({}) },
      );
      expect(response.status, apiPath).toBe(422);
      const { error } = (await response.json()) as { error: { fields: Record<string, string> } };
      const schema = op.requestBody.content["application/json"].schema;
      expect(Object.keys(error.fields), apiPath).toEqual(expect.arrayContaining(schema.required as string[]));
      for (const field of Object.keys(error.fields)) expect(Object.keys(schema.properties), apiPath).toContain(field);
    }
  });
});
