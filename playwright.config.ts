import { existsSync } from "node:fs";
import { chromium, defineConfig } from "@playwright/test";
import { APP_URL, NEXT_PORT, NEXT_URL, OIDC_ISSUER } from "./e2e/fixtures";

// Browser tests run against the built app under `next start` (through
// scripts/start.ts, exactly as a user runs it) on its own embedded PostgreSQL,
// with a real OpenID Connect provider process for SSO.
//
// The browser never talks to `next start` directly: it goes through a reverse
// proxy (e2e/reverse-proxy.mjs) on another host and port, and AUTH_URL is the
// proxy's origin, as in a real deployment. The identity provider is on a third
// loopback address. A redirect built from the address `next start` listens on
// instead of AUTH_URL therefore leaves the app's origin and fails a test.
// (Linux routes all of 127.0.0.0/8 to the loopback interface.)

/** Playwright's own Chromium where it is installed; otherwise the system's (Debian's chromium). */
function chromiumExecutable(): string | undefined {
  if (existsSync(chromium.executablePath())) return undefined;
  return ["/usr/bin/chromium", "/usr/bin/chromium-browser"].find((candidate) => existsSync(candidate));
}

export default defineConfig({
  testDir: "e2e",
  fullyParallel: false,
  // Two cores run the app, its database and the browser: one worker is fastest.
  workers: 1,
  retries: 0,
  timeout: 30_000,
  expect: { timeout: 10_000 },
  reporter: [["list"]],
  use: {
    baseURL: APP_URL,
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: chromiumExecutable(),
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
      ],
    },
  },
  webServer: [
    {
      command: "node e2e/oidc-provider.mjs",
      url: `${OIDC_ISSUER}/.well-known/openid-configuration`,
      env: { OIDC_ISSUER, APP_URL },
      reuseExistingServer: false,
      timeout: 30_000,
    },
    {
      // A fresh data directory every run: the demo data is loaded on first start.
      command: "rm -rf .data/e2e && npx tsx scripts/start.ts",
      url: `${NEXT_URL}/api/health`,
      env: {
        PORT: String(NEXT_PORT),
        WARRANT_DATA_DIR: ".data/e2e",
        WARRANT_EMBEDDED_PG_PORT: "54340",
        OIDC_ISSUER,
        OIDC_CLIENT_ID: "warrant-e2e",
        OIDC_CLIENT_SECRET: "warrant-e2e-secret",
        OIDC_DISPLAY_NAME: "Test IdP",
        DATABASE_URL: "",
        WARRANT_DEMO: "",
        AUTH_URL: APP_URL,
        HOST: "",
        // scripts/start.ts turns telemetry off for next itself; this keeps it off for anything else it runs.
        NEXT_TELEMETRY_DISABLED: "1",
      },
      reuseExistingServer: false,
      timeout: 240_000,
      gracefulShutdown: { signal: "SIGTERM", timeout: 15_000 },
      stdout: "ignore",
    },
    {
      command: "node e2e/reverse-proxy.mjs",
      url: `${APP_URL}/api/health`,
      env: { PROXY_URL: APP_URL, UPSTREAM_URL: NEXT_URL },
      reuseExistingServer: false,
      timeout: 240_000,
    },
  ],
});
