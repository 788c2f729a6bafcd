// Security headers for every response. Pages get a Content-Security-Policy
// with a fresh script nonce from proxy.ts; everything else (API, static files)
// gets a fixed policy from next.config.ts. Both are built here.

export function pageContentSecurityPolicy(nonce: string, options: { dev: boolean; ssoIssuer?: string }): string {
  // The SSO form posts to our sign-in route, which redirects to the issuer;
  // browsers check form-action on that redirect too.
  const formTargets = ["'self'", options.ssoIssuer ? new URL(options.ssoIssuer).origin : undefined].filter(Boolean).join(" ");
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${options.dev ? " 'unsafe-eval'" : ""}`,
    // Inline style attributes (charts, widths) are needed; scripts stay strict.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    `form-action ${formTargets}`,
    "frame-ancestors 'none'",
  ].join("; ");
}

/** For responses that are not HTML pages: nothing may run or embed them. */
export const STATIC_CONTENT_SECURITY_POLICY = "default-src 'self'; frame-ancestors 'none'; object-src 'none'; base-uri 'none'";

export const COMMON_SECURITY_HEADERS: { key: string; value: string }[] = [
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
  { key: "X-Frame-Options", value: "DENY" },
  { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=(), payment=()" },
  { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
];

/**
 * HSTS when the app's public URL is https: browsers then refuse plain http for
 * this host for two years, so a network attacker cannot strip TLS on a later
 * visit. Sent on pages (proxy.ts); browsers apply it to the whole host.
 */
export function strictTransportSecurity(appUrl: string): string | undefined {
  return new URL(appUrl).protocol === "https:" ? "max-age=63072000; includeSubDomains" : undefined;
}
