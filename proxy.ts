import { NextResponse, type NextRequest } from "next/server";
import { appUrl, env, isDevelopment } from "@/lib/env";
import { pageContentSecurityPolicy, strictTransportSecurity } from "@/lib/security/headers";

// Runs before every page: gives it a fresh CSP nonce (Next puts it on its own
// scripts) and sends visitors without a session cookie to sign-in. The cookie
// check is only a shortcut; the (app) layout verifies the session for real.

const PUBLIC_PAGES = ["/sign-in"];
const SESSION_COOKIES = ["authjs.session-token", "__Secure-authjs.session-token"];

export function proxy(request: NextRequest) {
  const { pathname, search } = request.nextUrl;
  const hsts = strictTransportSecurity(appUrl());
  const hasSessionCookie = SESSION_COOKIES.some((name) => request.cookies.has(name));
  if (!hasSessionCookie && !PUBLIC_PAGES.some((page) => pathname.startsWith(page))) {
    const url = request.nextUrl.clone();
    url.pathname = "/sign-in";
    url.search = pathname === "/" ? "" : `?callbackUrl=${encodeURIComponent(pathname + search)}`;
    const redirect = NextResponse.redirect(url);
    if (hsts) redirect.headers.set("Strict-Transport-Security", hsts);
    return redirect;
  }

  const nonce = Buffer.from(crypto.randomUUID()).toString("base64");
  const policy = pageContentSecurityPolicy(nonce, { dev: isDevelopment(), ssoIssuer: env().OIDC_ISSUER });
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("x-nonce", nonce);
  requestHeaders.set("Content-Security-Policy", policy);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set("Content-Security-Policy", policy);
  if (hsts) response.headers.set("Strict-Transport-Security", hsts);
  return response;
}

export const config = {
  // Pages only: API routes, Next's internals and static files (the favicon and
  // anything else named like a file: app/icon.svg is served as /icon.svg) need
  // no session and no nonce; nor do the public keys at /.well-known/ (rewritten to /api).
  matcher: ["/((?!api/|\\.well-known/|_next/static|_next/image|[^/]+\\.(?:svg|png|jpe?g|gif|webp|ico|txt|xml|webmanifest)$).*)"],
};
