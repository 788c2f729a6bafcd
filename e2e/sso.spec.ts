import { expect, test, type Page } from "@playwright/test";
import { APP_URL, OIDC_ISSUER } from "./fixtures";

// Signs in through the real OIDC provider process started by playwright.config.ts
// (authorization-code flow with PKCE and state). The browser reaches the app
// through a reverse proxy on AUTH_URL's origin, not on the address `next start`
// listens on, so every redirect after the provider must stay on APP_URL.

/** Clicks "Sign in with Test IdP" and completes the provider's login as `login`. */
async function signInWithIdp(page: Page, login: string) {
  await page.goto("/sign-in");
  await page.getByRole("button", { name: "Sign in with Test IdP" }).click();
  // The identity provider's own pages.
  await expect(page).toHaveURL(new RegExp(`^${OIDC_ISSUER}/interaction/`));
  await page.locator('input[name="login"]').fill(login);
  await page.locator('input[name="password"]').fill("any password");
  await page.getByRole("button", { name: "Sign-in" }).click();
  await page.getByRole("button", { name: "Continue" }).click();
}

test("a new person signs in with SSO and lands on the dashboard as themselves, on AUTH_URL's origin", async ({ page }) => {
  // Every navigation of the main frame after leaving the provider must be on the app's origin.
  const visited: string[] = [];
  page.on("framenavigated", (frame) => {
    if (frame === page.mainFrame()) visited.push(frame.url());
  });

  await signInWithIdp(page, "sso.newcomer@example.com");

  await expect(page).toHaveURL(`${APP_URL}/`);
  await expect(page.getByRole("heading", { name: "Dashboard", level: 1 })).toBeVisible();
  await expect(page.getByTestId("current-user")).toHaveText("sso.newcomer@example.com");
  await expect(page.getByTestId("current-roles")).toHaveText("Owner");
  const afterProvider = visited.slice(visited.findLastIndex((url) => url.startsWith(OIDC_ISSUER)) + 1);
  expect(afterProvider.length).toBeGreaterThan(0);
  for (const url of afterProvider) expect(new URL(url).origin, url).toBe(APP_URL);
});
