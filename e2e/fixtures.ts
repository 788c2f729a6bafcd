import { expect, type Page } from "@playwright/test";

/** Where the browser reaches the app: a reverse proxy (e2e/reverse-proxy.mjs), and AUTH_URL. */
export const APP_URL = "http://127.0.0.3:3100";
/** Where `next start` itself listens; only the proxy talks to it. */
export const NEXT_PORT = 3102;
export const NEXT_URL = `http://127.0.0.1:${NEXT_PORT}`;
/** The test OpenID Connect provider (e2e/oidc-provider.mjs), on yet another loopback address. */
export const OIDC_ISSUER = "http://127.0.0.2:3101";

/** Signs in through the demo list on the sign-in page, as a person would. */
export async function signInAs(page: Page, name: string) {
  await page.goto("/sign-in");
  await page.getByRole("button", { name: `Sign in as ${name}` }).click();
  await expect(page.getByRole("heading", { name: "Dashboard", level: 1 })).toBeVisible();
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** A day as a date input takes it (the browser runs in this machine's zone). */
export function dayFromNow(days: number): string {
  const date = new Date(Date.now() + days * DAY_MS);
  return `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, "0")}-${String(date.getDate()).padStart(2, "0")}`;
}
