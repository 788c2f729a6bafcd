import path from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createTestToken, createTestUser } from "@/lib/testing/factories";

// With an https AUTH_URL, browsers must never be talked into plain http for
// this host, API included. proxy.ts adds HSTS to pages but does not run for
// /api, and next.config.ts's headers are fixed at build time, so the API's own
// responses carry it. Each case loads the handlers afresh: lib/env.ts reads
// AUTH_URL once per process.

type Handler = (request: Request, context: { params: Promise<Record<string, string | string[]>> }) => Promise<Response>;
const HSTS = "max-age=63072000; includeSubDomains";
const original = process.env.AUTH_URL;

afterEach(() => {
  process.env.AUTH_URL = original;
});

async function responses(authUrl: string) {
  vi.resetModules();
  process.env.AUTH_URL = authUrl;
  const route = async (file: string) => (await import(path.resolve("app/api", file, "route.ts"))) as Record<string, Handler>;
  const { user } = await createTestUser(["AUDITOR"]);
  const token = await createTestToken(user.email, ["READ"]);
  const get = (handlers: Record<string, Handler>, url: string, params: Record<string, string | string[]> = {}, authorization?: string) =>
    handlers.GET!(new Request(`${authUrl}${url}`, { headers: authorization ? { authorization } : {} }), {
      params: Promise.resolve(params),
    });
  // Sign-in goes through Auth.js's handlers; a redirect built by Response.redirect has immutable headers.
  const [{ withRateLimit }, { rateLimits }] = await Promise.all([import("@/lib/api/handler"), import("@/lib/rate-limit")]);
  const signIn = withRateLimit(rateLimits.signIn, async () => Response.redirect(`${authUrl}/sign-in`, 302));
  return {
    signInRedirect: await signIn(new Request(`${authUrl}/api/auth/signin`)),
    ok: await get(await route("v1/me"), "/api/v1/me", {}, `Bearer ${token}`),
    unauthenticated: await get(await route("v1/me"), "/api/v1/me"),
    unknownPath: await get(await route("[...path]"), "/api/v1/nothing", { path: ["v1", "nothing"] }),
    openApi: await get(await route("v1/openapi.json"), "/api/v1/openapi.json"),
    health: await get(await route("health"), "/api/health"),
  };
}

describe("Strict-Transport-Security on API responses", () => {
  it("is sent on answers and errors alike when AUTH_URL is https", async () => {
    const answers = await responses("https://warrant.example.com");
    expect(answers.ok.status).toBe(200);
    expect(answers.unauthenticated.status).toBe(401);
    expect(answers.unknownPath.status).toBe(404);
    expect(answers.signInRedirect.headers.get("location")).toBe("https://warrant.example.com/sign-in");
    for (const [name, response] of Object.entries(answers)) expect(response.headers.get("strict-transport-security"), name).toBe(HSTS);
  });

  it("is not sent when AUTH_URL is plain http (it would pin nothing and break a later switch)", async () => {
    const answers = await responses("http://localhost:3000");
    for (const [name, response] of Object.entries(answers)) expect(response.headers.get("strict-transport-security"), name).toBeNull();
  });
});
