import { readdir } from "node:fs/promises";
import path from "node:path";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { prisma } from "@/lib/db/client";
import { createApiToken } from "@/lib/auth/api-tokens";
import { executeMutation } from "@/lib/auth/mutation";
import type { Actor } from "@/lib/auth/actor";
import { countRows, createTestToken, createTestUser, refused } from "@/lib/testing/factories";
import { API_ROUTES } from "@/lib/api/openapi";
import { allMutations } from "@/lib/mutations";

// The walk below makes two calls without a valid token to each of more than
// sixty mutating routes from one address, more than the anonymous limit
// allows in a minute; rate limits have their own test (rate-limits.test.ts).
vi.hoisted(() => {
  process.env.WARRANT_RATE_LIMIT_API_ANONYMOUS = "0";
});

// Calls the real route handlers (the same functions `next start` serves) with
// real requests against a real database.

type Handler = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;
const MUTATING_METHODS = ["POST", "PUT", "PATCH", "DELETE"] as const;
const API_DIR = path.resolve("app/api/v1");

async function routeFiles(): Promise<string[]> {
  const entries = await readdir(API_DIR, { recursive: true, withFileTypes: true });
  return entries.filter((entry) => entry.name === "route.ts").map((entry) => path.join(entry.parentPath, entry.name));
}

/** "users/[id]/deactivate" → params { id: "…" } and a URL to call. */
function requestFor(file: string, method: string, token?: string, body: unknown = {}) {
  const route = path.relative(API_DIR, path.dirname(file));
  const params: Record<string, string> = {};
  const urlPath = route
    .split(path.sep)
    .map((segment) => {
      const name = segment.match(/^\[(\w+)\]$/)?.[1];
      if (!name) return segment;
      params[name] = "does-not-exist";
      return params[name];
    })
    .join("/");
  const request = new Request(`http://localhost/api/v1/${urlPath}`, {
    method,
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: method === "GET" ? undefined : JSON.stringify(body),
  });
  return { request, context: { params: Promise.resolve(params) } };
}

async function call(routePath: string, method: string, token?: string, body?: unknown) {
  const file = path.join(API_DIR, routePath, "route.ts");
  const handlers = (await import(file)) as Record<string, Handler>;
  const { request, context } = requestFor(file, method, token, body);
  const response = await handlers[method]!(request, context);
  return { status: response.status, body: (await response.json()) as Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any
}

let adminToken: string;
let auditorToken: string;
let ownerToken: string;
let readOnlyAdminToken: string;
let owner: Actor;

beforeAll(async () => {
  const admin = await createTestUser(["ADMIN"], { email: "admin@example.com" });
  const auditor = await createTestUser(["AUDITOR"], { email: "auditor@example.com" });
  owner = (await createTestUser([], { email: "owner@example.com" })).actor;
  adminToken = await createTestToken(admin.user.email);
  auditorToken = await createTestToken(auditor.user.email, ["READ", "WRITE"]);
  ownerToken = await createTestToken("owner@example.com");
  readOnlyAdminToken = await createTestToken(admin.user.email, ["READ"]);
});

describe("every mutating API route", () => {
  it("refuses anonymous callers (401) and auditors (403) and writes nothing", async () => {
    const files = await routeFiles();
    let walked = 0;
    for (const file of files) {
      const handlers = (await import(file)) as Record<string, Handler>;
      for (const method of MUTATING_METHODS) {
        const handler = handlers[method];
        if (!handler) continue;
        walked += 1;
        const before = await countRows();
        // Runtime endpoints take an AI identity's token: a person's (even an auditor's) is no credential there.
        const apiPath = `/${path.relative(API_DIR, path.dirname(file)).split(path.sep).join("/")}`.replace(/\[(\w+)\]/g, "{$1}");
        const documented = API_ROUTES.find((route) => route.path === apiPath && route.method === method);
        const forAgents = documented?.agent === true;
        // An export auditors may ask for (an evidence package) gets as far as validating the body, which is not one.
        const auditorsMay = allMutations.some((mutation) => mutation.name === documented?.operationId && mutation.auditorsMay);
        for (const [token, status] of [
          [undefined, 401],
          ["wrt_not-a-real-token", 401],
          [auditorToken, forAgents ? 401 : auditorsMay ? 422 : 403],
        ] as const) {
          const { request, context } = requestFor(file, method, token, {
            email: "x@example.com",
            name: "x",
            roles: ["ADMIN"],
            scopes: ["WRITE"],
            expiresInDays: 1,
          });
          const response = await handler(request, context);
          const label = `${method} ${file} with ${token ? "a token" : "no token"}`;
          // Claude Code runs the tool on any error status, so its PreToolUse hook answers a refusal as a 200 deny.
          if (apiPath === "/hooks/claude-code/pre-tool-use") {
            expect(response.status, label).toBe(200);
            const body = (await response.json()) as { hookSpecificOutput: { permissionDecision: string } };
            expect(body.hookSpecificOutput.permissionDecision, label).toBe("deny");
            continue;
          }
          expect(response.status, label).toBe(status);
          const body = (await response.json()) as { error: { code: string; message: string } };
          expect(body.error.code).toBe(status === 401 ? "unauthenticated" : status === 422 ? "validation_failed" : "forbidden");
        }
        expect(await countRows(), `${method} ${file} wrote something`).toEqual(before);
      }
    }
    expect(walked).toBeGreaterThanOrEqual(6);
  });
});

describe("/api/v1/users", () => {
  it("lets an admin create a user, answering 201 with the user", async () => {
    const { status, body } = await call("users", "POST", adminToken, {
      email: "New.Person@Example.com",
      name: "New Person",
      roles: ["APPROVER"],
    });
    expect(status).toBe(201);
    expect(body).toMatchObject({ email: "new.person@example.com", roles: ["APPROVER"], active: true });
    const event = await prisma.auditEvent.findFirst({ where: { action: "user.created", targetId: body.id as string } });
    expect(event?.actorType).toBe("API_TOKEN");
  });

  it("answers 409 for an email that is taken", async () => {
    const { status, body } = await call("users", "POST", adminToken, { email: "owner@example.com", name: "Dup", roles: [] });
    expect(status).toBe(409);
    expect(body.error).toMatchObject({ code: "conflict", fields: { email: "is already in use" } });
  });

  it("answers 422 naming each bad field, and changes nothing", async () => {
    const before = await countRows();
    const { status, body } = await call("users", "POST", adminToken, { email: "not-an-email", name: "", roles: ["KING"] });
    expect(status).toBe(422);
    expect(body.error.code).toBe("validation_failed");
    expect(Object.keys(body.error.fields as object).sort()).toEqual(["email", "name", "roles.0"]);
    expect(body.error.fields.email).toBe("must be an email address");
    expect(await countRows()).toEqual(before);
  });

  it("answers 400 for a body that is not JSON", async () => {
    const handlers = (await import(path.join(API_DIR, "users/route.ts"))) as Record<string, Handler>;
    const response = await handlers.POST!(
      new Request("http://localhost/api/v1/users", { method: "POST", headers: { authorization: `Bearer ${adminToken}` }, body: "{oops" }),
      { params: Promise.resolve({}) },
    );
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe("bad_request");
  });

  it("refuses the auditor role combined with another", async () => {
    const { status, body } = await call("users", "POST", adminToken, {
      email: "mixed@example.com",
      name: "Mixed",
      roles: ["AUDITOR", "ADMIN"],
    });
    expect(status).toBe(422);
    expect(body.error.fields.roles).toMatch(/Auditor cannot be combined/);
  });

  it("refuses a read-scoped token from changing anything, even an admin's (403)", async () => {
    const { status } = await call("users", "POST", readOnlyAdminToken, { email: "scoped@example.com", name: "Scoped", roles: [] });
    expect(status).toBe(403);
  });

  it("refuses owners without the admin role (403) and lets auditors read (200)", async () => {
    expect((await call("users", "POST", ownerToken, { email: "o2@example.com", name: "O2", roles: [] })).status).toBe(403);
    expect((await call("users", "GET", ownerToken)).status).toBe(403);
    const list = await call("users", "GET", auditorToken);
    expect(list.status).toBe(200);
    expect((list.body.users as { email: string }[]).map((user) => user.email)).toContain("auditor@example.com");
  });

  it("answers 404 for a user that does not exist", async () => {
    const { status, body } = await call("users/[id]", "PATCH", adminToken, { roles: [] });
    expect(status).toBe(404);
    expect(body.error.code).toBe("not_found");
  });
});

describe("deactivating a user", () => {
  it("ends their API tokens and sessions, and orphans the identities they own", async () => {
    const { user } = await createTestUser([], { email: "leaver@example.com" });
    const leaverToken = await createTestToken(user.email);
    await prisma.session.create({ data: { sessionToken: "leaver-session", userId: user.id, expires: new Date(Date.now() + 3_600_000) } });
    const identity = await prisma.aiIdentity.create({
      data: {
        name: "leaver-agent",
        kind: "CODING_AGENT",
        purpose: "test",
        environment: "DEV",
        ownerId: user.id,
        expiresAt: new Date(Date.now() + 86_400_000),
        nextReviewAt: new Date(Date.now() + 86_400_000),
      },
    });
    expect((await call("me", "GET", leaverToken)).status).toBe(200);

    const users = await call("users", "GET", adminToken);
    const id = (users.body.users as { id: string; email: string }[]).find((row) => row.email === user.email)!.id;
    const handlers = (await import(path.join(API_DIR, "users/[id]/deactivate/route.ts"))) as Record<string, Handler>;
    const response = await handlers.POST!(
      new Request(`http://localhost/api/v1/users/${id}/deactivate`, { method: "POST", headers: { authorization: `Bearer ${adminToken}` } }),
      { params: Promise.resolve({ id }) },
    );
    expect(response.status).toBe(200);

    expect((await call("me", "GET", leaverToken)).status).toBe(401);
    expect(await prisma.session.count({ where: { userId: user.id } })).toBe(0);
    expect((await prisma.aiIdentity.findUniqueOrThrow({ where: { id: identity.id } })).orphanedAt).not.toBeNull();
    const event = await prisma.auditEvent.findFirst({ where: { action: "user.deactivated", targetId: id } });
    expect(event?.data).toMatchObject({ identitiesOrphaned: 1 });
  });
});

describe("/api/v1/me and tokens", () => {
  it("describes the caller", async () => {
    const { status, body } = await call("me", "GET", ownerToken);
    expect(status).toBe(200);
    expect(body).toMatchObject({ kind: "api_token", roles: [], scopes: ["READ", "WRITE"] });
  });

  // Tokens are created by people (the Admin page's form runs this mutation) and the CLI; tokens cannot create tokens.
  const createAsOwner = (input: Record<string, unknown>) => executeMutation(createApiToken, owner, input);

  it("refuses expired and revoked tokens", async () => {
    const created = await createAsOwner({ name: "short-lived", scopes: ["READ"], expiresInDays: 1 });
    const secret = created.secret;
    expect(secret).toMatch(/^wrt_/);
    expect((await call("me", "GET", secret)).status).toBe(200);

    await prisma.apiToken.update({ where: { id: created.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect((await call("me", "GET", secret)).status).toBe(401);

    const another = await createAsOwner({ name: "to revoke", scopes: ["READ"], expiresInDays: 1 });
    const handlers = (await import(path.join(API_DIR, "api-tokens/[id]/revoke/route.ts"))) as Record<string, Handler>;
    const revoked = await handlers.POST!(
      new Request("http://localhost/x", { method: "POST", headers: { authorization: `Bearer ${ownerToken}` } }),
      { params: Promise.resolve({ id: another.id }) },
    );
    expect(revoked.status).toBe(200);
    expect((await call("me", "GET", another.secret)).status).toBe(401);
  });

  it("never stores the token itself", async () => {
    const created = await createAsOwner({ name: "stored?", scopes: ["READ"], expiresInDays: 7 });
    const row = await prisma.apiToken.findUniqueOrThrow({ where: { id: created.id } });
    expect(JSON.stringify(row)).not.toContain(created.secret);
    const events = await prisma.auditEvent.findMany({ where: { targetId: row.id } });
    expect(JSON.stringify(events, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v))).not.toContain(created.secret);
  });

  it("refuses tokens that never expire or have no scope, naming the field", async () => {
    const error = await refused(createAsOwner({ name: "forever", scopes: [], expiresInDays: 10000 }));
    expect(error.code).toBe("validation_failed");
    expect(error.fields).toMatchObject({ scopes: "choose at least one scope", expiresInDays: expect.stringMatching(/at most 365 days/) });
  });
});

describe("?dryRun=1", () => {
  it("answers as the change would, and writes nothing", async () => {
    const before = await countRows();
    const handlers = (await import(path.join(API_DIR, "users/route.ts"))) as Record<string, Handler>;
    const response = await handlers.POST!(
      new Request("http://localhost/api/v1/users?dryRun=1", {
        method: "POST",
        headers: { authorization: `Bearer ${adminToken}`, "content-type": "application/json" },
        body: JSON.stringify({ email: "preview@example.com", name: "Preview", roles: [] }),
      }),
      { params: Promise.resolve({}) },
    );
    expect(response.status).toBe(201);
    expect(await response.json()).toMatchObject({ email: "preview@example.com" });
    expect(await countRows()).toEqual(before);
    expect(await prisma.user.findUnique({ where: { email: "preview@example.com" } })).toBeNull();
  });
});
