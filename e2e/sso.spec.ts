import { expect, test } from "@playwright/test";

// Signs in through the real OIDC provider process started by playwright.config.ts
// (authorization-code flow with PKCE and state), as a person new to Warrant.
test("a new person signs in with SSO and lands on the dashboard as themselves", async ({ page }) => {
  await page.goto("/sign-in");
  await page.getByRole("button", { name: "Sign in with Test IdP" }).click();

  // The identity provider's own pages.
  await expect(page).toHaveURL(/localhost:3101\/interaction\//);
  await page.locator('input[name="login"]').fill("sso.newcomer@example.com");
  await page.locator('input[name="password"]').fill("any password");
  await page.getByRole("button", { name: "Sign-in" }).click();
  await page.getByRole("button", { name: "Continue" }).click();

  await expect(page).toHaveURL("http://localhost:3100/");
  await expect(page.getByRole("heading", { name: "Dashboard", level: 1 })).toBeVisible();
  await expect(page.getByTestId("current-user")).toHaveText("sso.newcomer@example.com");
  await expect(page.getByTestId("current-roles")).toHaveText("Owner");
});
