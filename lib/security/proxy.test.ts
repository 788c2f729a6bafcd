import { NextRequest } from "next/server";
import { afterEach, describe, expect, it, vi } from "vitest";

// proxy.ts answers every page request; it reads AUTH_URL (through lib/env.ts)
// once per process, so each case loads it afresh with its own AUTH_URL.
async function pageResponse(authUrl: string, path: string, cookie?: string) {
  vi.resetModules();
  process.env.AUTH_URL = authUrl;
  const { proxy } = await import("@/proxy");
  const headers = cookie ? { cookie } : undefined;
  return proxy(new NextRequest(new URL(path, authUrl), { headers }));
}

const original = process.env.AUTH_URL;
afterEach(() => {
  process.env.AUTH_URL = original;
});

describe("Strict-Transport-Security", () => {
  it("is sent on pages and on the sign-in redirect when AUTH_URL is https", async () => {
    const page = await pageResponse("https://warrant.example.com", "/inventory", "__Secure-authjs.session-token=x");
    expect(page.headers.get("strict-transport-security")).toBe("max-age=63072000; includeSubDomains");
    const redirect = await pageResponse("https://warrant.example.com", "/inventory");
    expect(redirect.status).toBe(307);
    expect(redirect.headers.get("strict-transport-security")).toBe("max-age=63072000; includeSubDomains");
  });

  it("is not sent when AUTH_URL is plain http (it would pin nothing and break a later switch)", async () => {
    const page = await pageResponse("http://localhost:3000", "/inventory", "authjs.session-token=x");
    expect(page.headers.get("strict-transport-security")).toBeNull();
  });
});

describe("Content-Security-Policy", () => {
  const sso = { OIDC_ISSUER: "https://login.example.com/realms/acme", OIDC_CLIENT_ID: "warrant", OIDC_CLIENT_SECRET: "s3cret-for-tests" };
  afterEach(() => {
    for (const key of Object.keys(sso)) delete process.env[key];
  });

  it("lets the sign-in form post on to the SSO provider named in the configuration, and no other", async () => {
    const without = await pageResponse("http://localhost:3000", "/sign-in");
    expect(without.headers.get("content-security-policy")).toContain("form-action 'self';");
    Object.assign(process.env, sso);
    const withSso = await pageResponse("http://localhost:3000", "/sign-in");
    expect(withSso.headers.get("content-security-policy")).toContain("form-action 'self' https://login.example.com;");
  });
});

describe("which requests the proxy handles", () => {
  // Next's own matcher logic, fed the proxy's exported config.
  async function handled(url: string) {
    const [{ config }, { unstable_doesMiddlewareMatch }] = await Promise.all([
      import("@/proxy"),
      import("next/experimental/testing/server"),
    ]);
    return unstable_doesMiddlewareMatch({ config, url });
  }

  it("leaves the favicon and other static files alone: they need no session", async () => {
    expect(await handled("/icon.svg")).toBe(false);
    expect(await handled("/icon.svg?icon.2toyslrw_24h2.svg")).toBe(false);
    expect(await handled("/favicon.ico")).toBe(false);
  });

  it("still guards every page, and leaves the API to its own token checks", async () => {
    expect(await handled("/")).toBe(true);
    expect(await handled("/inventory")).toBe(true);
    expect(await handled("/identities/cmx22ihy50001ug7db398v2id")).toBe(true);
    expect(await handled("/api/v1/identities")).toBe(false);
  });
});
