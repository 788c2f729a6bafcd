import { beforeAll, describe, expect, it, vi } from "vitest";
import type { Actor } from "@/lib/auth/actor";

// Small limits for this file only (lib/env.ts reads them on first use; each
// test file runs in its own module registry). What a client observes: a 429
// in the error shape with a Retry-After header, or for forms, a message.

const setup = vi.hoisted(() => {
  Object.assign(process.env, {
    WARRANT_RATE_LIMIT_API: "3",
    WARRANT_RATE_LIMIT_API_ANONYMOUS: "2",
    WARRANT_RATE_LIMIT_SIGN_IN: "2",
    WARRANT_RATE_LIMIT_IMPORT: "2",
    WARRANT_RATE_LIMIT_EXPORT: "2",
    WARRANT_DEMO: "1",
  });
  return { actor: null as Actor | null, requestHeaders: new Headers() };
});

// Auth.js and Next's request scope exist only inside a running Next server;
// these stand-ins let the real route and action modules run here.
vi.mock("@/lib/auth/auth", () => ({
  SSO_PROVIDER_ID: "oidc",
  signIn: async () => undefined,
  handlers: { GET: async () => Response.json({ auth: "GET" }), POST: async () => Response.json({ auth: "POST" }) },
}));
vi.mock("@/lib/auth/session", () => ({ getSessionActor: async () => setup.actor }));
vi.mock("next/headers", () => ({ headers: async () => setup.requestHeaders, cookies: async () => ({ set: () => undefined }) }));
class Redirected extends Error {}
vi.mock("next/navigation", () => ({
  redirect: (url: string) => {
    throw new Redirected(url);
  },
}));

const { callApi } = await import("@/lib/testing/api-client");
const { createTestToken, createTestUser, refused } = await import("@/lib/testing/factories");
const { executeMutation } = await import("@/lib/auth/mutation");
const { importIdentities } = await import("@/lib/inventory/csv-import");

let token: string;
let otherToken: string;
let member: Actor;

beforeAll(async () => {
  const admin = await createTestUser(["ADMIN"]);
  token = await createTestToken(admin.user.email);
  otherToken = await createTestToken(admin.user.email);
  member = (await createTestUser([])).actor;
});

async function expect429(response: Response) {
  expect(response.status).toBe(429);
  expect(Number(response.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
  const body = (await response.json()) as { error: { code: string; message: string } };
  expect(body.error.code).toBe("rate_limited");
  expect(body.error.message).toMatch(/Try again in \d+ seconds/);
}

async function rawGet(route: string, headers: Record<string, string>) {
  const handlers = (await import(`@/app/api/v1/${route}/route.ts`)) as Record<string, (r: Request, c: unknown) => Promise<Response>>;
  return handlers.GET!(new Request(`http://localhost/api/v1/${route}`, { headers }), { params: Promise.resolve({}) });
}

describe("the API", () => {
  it("answers 429 with Retry-After once a token has made its requests for the minute; another token is unaffected", async () => {
    for (let i = 0; i < 3; i += 1) expect((await callApi("GET", "me", token)).status).toBe(200);
    await expect429(await rawGet("me", { authorization: `Bearer ${token}` }));
    expect((await callApi("GET", "me", otherToken)).status).toBe(200);
  });

  it("limits requests without a valid token per client address", async () => {
    const from = (address: string) => ({ authorization: "Bearer wrt_not-a-real-token", "x-forwarded-for": `203.0.113.7, ${address}` });
    for (let i = 0; i < 2; i += 1) expect((await rawGet("me", from("198.51.100.1"))).status).toBe(401);
    await expect429(await rawGet("me", from("198.51.100.1")));
    expect((await rawGet("me", from("198.51.100.2"))).status).toBe(401);
  });
});

describe("sign-in", () => {
  it("answers Auth.js's routes with 429 and Retry-After per client address", async () => {
    const { GET, POST } = await import("@/app/api/auth/[...nextauth]/route");
    const request = (method: string, address: string) =>
      new Request("http://localhost/api/auth/signin/oidc", { method, headers: { "x-forwarded-for": address } });
    expect((await POST(request("POST", "192.0.2.10") as never)).status).toBe(200);
    expect((await GET(request("GET", "192.0.2.10") as never)).status).toBe(200);
    await expect429(await POST(request("POST", "192.0.2.10") as never));
    expect((await POST(request("POST", "192.0.2.11") as never)).status).toBe(200);
  });

  it("sends the demo sign-in back to the sign-in page with a message once an address has tried too often", async () => {
    const { signInAsDemoUserAction } = await import("@/app/(auth)/sign-in/actions");
    setup.requestHeaders = new Headers({ "x-forwarded-for": "192.0.2.20" });
    const form = new FormData();
    form.set("userId", (await createTestUser([])).user.id);
    const attempt = async () => {
      try {
        await signInAsDemoUserAction(form);
      } catch (error) {
        if (error instanceof Redirected) return error.message;
        throw error;
      }
      return "no redirect";
    };
    expect(await attempt()).toBe("/");
    expect(await attempt()).toBe("/");
    expect(await attempt()).toMatch(/^\/sign-in\?error=RateLimited/);
  });
});

describe("CSV import and export", () => {
  it("refuses a person's third import in a minute, with a message for the form", async () => {
    const csv = "name,kind,environment,purpose,ownerEmail,expiresAt\r\n";
    for (let i = 0; i < 2; i += 1)
      expect((await refused(executeMutation(importIdentities, member, { csv }))).code).toBe("validation_failed");
    const error = await refused(executeMutation(importIdentities, member, { csv }));
    expect(error.code).toBe("rate_limited");
    expect(error.message).toMatch(/Too many imports.*Try again in \d+ seconds/);
  });

  it("answers a person's third export in a minute with 429 and Retry-After", async () => {
    setup.actor = member;
    const { GET } = await import("@/app/(app)/inventory/export/route");
    for (let i = 0; i < 2; i += 1) {
      const response = await GET(new Request("http://localhost/inventory/export"));
      expect(response.status).toBe(200);
      await response.text();
    }
    await expect429(await GET(new Request("http://localhost/inventory/export")));
  });
});
