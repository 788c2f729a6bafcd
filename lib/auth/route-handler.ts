import { Auth, setEnvDefaults, type AuthConfig } from "@auth/core";
import type { NextRequest } from "next/server";
import { appUrl, env } from "@/lib/env";

// The handler behind /api/auth/* (sign-in, the provider's callback, sign-out).
//
// Why not next-auth's own `handlers`: they rebuild the request as a NextRequest
// on AUTH_URL's origin, and NextRequest rewrites every loopback host
// (127.0.0.0/8, [::1]) to `localhost`. With AUTH_URL=http://127.0.0.1:3200 the
// callback then computed its redirect_uri and final redirect on
// http://localhost:3200, a different origin from the one the browser signed in
// on (no state cookie for the token exchange, no session cookie after it).
// Next's own request URL is no better: under `next start` it is built from the
// address the server listens on, not from AUTH_URL or the proxy in front.
// So the request Auth.js sees is a plain Request whose origin is AUTH_URL's,
// exactly as configured; only its path and query come from the browser.

export function authRouteHandler(config: () => AuthConfig) {
  return async function handle(request: NextRequest): Promise<Response> {
    const resolved = config();
    // What next-auth does before each request: its base path and secret, then Auth.js's defaults.
    resolved.basePath ??= "/api/auth";
    resolved.secret ??= env().AUTH_SECRET;
    setEnvDefaults(process.env, resolved, true);

    const { pathname, search } = new URL(request.url);
    const headers = new Headers(request.headers);
    // On the provider's callback Auth.js links the new subject to whoever is
    // signed in already, bypassing the signIn callback's checks on email and
    // existing links; without the current session it decides as for anyone.
    if (pathname.startsWith(`${resolved.basePath}/callback/`)) headers.set("cookie", withoutSessionCookies(headers.get("cookie")));
    const hasBody = request.method !== "GET" && request.method !== "HEAD";
    const onAppOrigin = new Request(new URL(`${pathname}${search}`, appUrl()), {
      method: request.method,
      headers,
      body: hasBody ? await request.arrayBuffer() : undefined,
    });
    return Auth(onAppOrigin, resolved);
  };
}

function withoutSessionCookies(cookie: string | null): string {
  return (cookie ?? "")
    .split(";")
    .filter((part) => !/^\s*(__Secure-)?authjs\.session-token(\.\d+)?=/.test(part))
    .join(";");
}
