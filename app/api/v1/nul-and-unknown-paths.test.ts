import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { openApiDocument } from "@/lib/api/openapi";
import { callApi, type ApiBody } from "@/lib/testing/api-client";
import { countRows, createTestToken, createTestUser, switchOffApprovals } from "@/lib/testing/factories";
import { prisma } from "@/lib/db/client";

// PostgreSQL cannot store a NUL character in text; before it was refused in
// validation, a NUL in any field reached the database and came back as an
// HTTP 500. Every write endpoint, every field its OpenAPI body lists (plus one
// it does not know, for the routes that hand the whole body on): 422 naming
// the field, nothing written.

const DAY_MS = 86_400_000;
let adminToken: string;
const recordIds: Record<string, string> = {};

function call(method: string, route: string, params: Record<string, string>, body: unknown) {
  return callApi(method, route, adminToken, { params, body });
}

beforeAll(async () => {
  // What these changes do, not who approves them: lib/approvals/approvals.test.ts covers that.
  await switchOffApprovals();
  // Someone who may call every write endpoint (security leads configure approvals, admins manage users).
  const admin = await createTestUser(["ADMIN", "SECURITY_LEAD"]);
  adminToken = await createTestToken(admin.user.email);
  const identity = await call(
    "POST",
    "identities",
    {},
    {
      name: "nul-target",
      kind: "CI_BOT",
      purpose: "target",
      environment: "DEV",
      ownerId: admin.user.id,
      expiresAt: new Date(Date.now() + 30 * DAY_MS),
    },
  );
  const system = await call("POST", "systems", {}, { name: "nul-system", kind: "REPOSITORY", environment: "DEV", sensitivity: "INTERNAL" });
  const grant = await call("POST", "grants", {}, { identityId: identity.body.id, systemId: system.body.id, permission: "READ" });
  const credential = await call(
    "POST",
    "credentials",
    {},
    {
      identityId: identity.body.id,
      type: "API_KEY",
      label: "key",
      fingerprint: "kid-1",
      issuedAt: new Date(Date.now() - DAY_MS),
    },
  );
  const review = await call("POST", "reviews", {}, { identityId: identity.body.id });
  const template = await call("POST", "templates", {}, { name: "nul-template", kind: "CI_BOT", environment: "DEV", lifetimeDays: 30 });
  const spare = await prisma.apiToken.findFirstOrThrow({ where: { userId: admin.user.id } });
  const other = await createTestUser([]);
  Object.assign(recordIds, {
    reviews: review.body.id,
    identities: identity.body.id,
    systems: system.body.id,
    grants: grant.body.id,
    credentials: credential.body.id,
    "api-tokens": spare.id,
    users: other.user.id,
    templates: template.body.id,
  });
  expect(Object.values(recordIds).every((id) => typeof id === "string")).toBe(true);
});

describe("a NUL character in a request", () => {
  it("is refused in every field of every write endpoint with a 422 naming the field, and nothing is written", async () => {
    const operations = Object.entries(openApiDocument().paths).flatMap(([apiPath, methods]) =>
      Object.entries(methods as Record<string, ApiBody>)
        // Runtime endpoints take an AI identity's token, not a person's: authorize-api.test.ts walks them.
        .filter(([method, operation]) => method !== "get" && !operation.security?.length)
        .map(([method, operation]) => ({ apiPath, method: method.toUpperCase(), operation })),
    );
    expect(operations.length).toBeGreaterThanOrEqual(18);
    let checked = 0;
    for (const { apiPath, method, operation } of operations) {
      const route = apiPath.slice(1).replace(/\{(\w+)\}/g, "[$1]");
      const params: Record<string, string> = apiPath.includes("{id}") ? { id: recordIds[route.split("/")[0]!]! } : {};
      const fields = Object.keys(operation.requestBody?.content["application/json"].schema.properties ?? {});
      const wholeBody = ["identities", "systems", "grants", "credentials", "reviews"].includes(route.split("/")[0]!);
      for (const field of wholeBody ? [...fields, "notes"] : fields) {
        checked += 1;
        const before = await countRows();
        const { status, body } = await call(method, route, params, { [field]: "before\u0000after" });
        const label = `${method} ${apiPath} field ${field}`;
        expect(status, label).toBe(422);
        expect(body.error.code, label).toBe("validation_failed");
        expect(body.error.fields[field], label).toMatch(/NUL/);
        expect(await countRows(), label).toEqual(before);
      }
    }
    expect(checked).toBeGreaterThan(50);
  });

  it("is refused where a valid request would otherwise succeed (POST /systems, POST /reviews)", async () => {
    const system = await call(
      "POST",
      "systems",
      {},
      { name: "ok\u0000system", kind: "REPOSITORY", environment: "DEV", sensitivity: "INTERNAL" },
    );
    expect(system.status).toBe(422);
    expect(system.body.error.fields).toEqual({ name: expect.stringMatching(/NUL/) });
    const review = await call("POST", "reviews", {}, { identityId: recordIds.identities, reason: "why\u0000not" });
    expect(review.status).toBe(422);
    expect(review.body.error.fields).toEqual({ reason: expect.stringMatching(/NUL/) });
  });
});

type Handler = (request: Request, context: { params: Promise<Record<string, string[]>> }) => Promise<Response>;

describe("an unknown path under /api/", () => {
  it.each([
    ["GET", "/api/v1/unknown", ["v1", "unknown"]],
    ["POST", "/api/v1/identities/x/explode", ["v1", "identities", "x", "explode"]],
    ["GET", "/api/unknown", ["unknown"]],
  ] as const)("%s %s answers 404 in the JSON error shape", async (method, url, segments) => {
    const handlers = (await import(path.resolve("app/api/[...path]/route.ts"))) as Record<string, Handler>;
    const response = await handlers[method]!(new Request(`http://localhost${url}`, { method }), {
      params: Promise.resolve({ path: [...segments] }),
    });
    expect(response.status).toBe(404);
    expect(response.headers.get("content-type")).toMatch(/^application\/json/);
    expect(await response.json()).toEqual({ error: { code: "not_found", message: expect.stringContaining(url) } });
  });
});

describe("a NUL character in a search or path parameter", () => {
  it.each([
    ["identities", "q=a%00b", {}, "q"],
    ["identities", "cursor=a%00b", {}, "cursor"],
    ["reviews", "identityId=a%00b", {}, "identityId"],
    ["identities/[id]", "", { id: "a\u0000b" }, "id"],
  ] as const)("GET %s?%s is a 422 naming the parameter", async (route, query, params, field) => {
    const { status, body } = await callApi("GET", route, adminToken, { query, params: { ...params } });
    expect(status).toBe(422);
    expect(body.error.fields).toEqual({ [field]: expect.stringMatching(/NUL/) });
  });
});
