import { expect, test, type Browser, type Page } from "@playwright/test";
import { APP_URL, OIDC_ISSUER, signInAs } from "./fixtures";

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

/** A fresh browser (no app session, no provider session) that completes the provider's login as `login`. */
async function freshSsoSignIn(browser: Browser, login: string): Promise<Page> {
  const context = await browser.newContext({ baseURL: APP_URL });
  const page = await context.newPage();
  await signInWithIdp(page, login);
  return page;
}

test("SSO links a pre-registered person only on a verified email, once, then by subject alone", async ({ browser }) => {
  // Four provider logins in fresh browsers plus an admin session: more than the default 30 s on two shared cores.
  test.setTimeout(120_000);
  // An admin pre-registers Pat as an approver (a security lead would need approval first).
  const admin = await (await browser.newContext({ baseURL: APP_URL })).newPage();
  await signInAs(admin, "Ada Admin");
  await admin.goto("/admin");
  const form = admin.getByRole("form", { name: "Add a user" });
  await form.getByLabel("Email").fill("pat.prereg@example.com");
  await form.getByLabel("Name").fill("Pat Prereg");
  await form.getByLabel("Approver", { exact: true }).check();
  await form.getByRole("button", { name: "Add user" }).click();
  await expect(form.getByRole("status")).toHaveText("Added pat.prereg@example.com.");

  // Someone whose provider has not verified Pat's address does not become Pat.
  const attacker = await freshSsoSignIn(browser, "unverified-attacker|pat.prereg@example.com");
  await expect(attacker).toHaveURL(new RegExp(`^${APP_URL}/sign-in\\?error=EmailNotVerified`));
  await expect(attacker.getByText("has not verified this email address")).toBeVisible();

  // Pat, verified (the provider sends the address in another case), is linked.
  const pat = await freshSsoSignIn(browser, "pat-subject|Pat.Prereg@Example.com");
  await expect(pat).toHaveURL(`${APP_URL}/`);
  await expect(pat.getByTestId("current-user")).toHaveText("pat.prereg@example.com");
  await expect(pat.getByTestId("current-roles")).toContainText("Approver");

  // A second subject claiming the same verified address is refused: Pat is linked already.
  const second = await freshSsoSignIn(browser, "another-subject|pat.prereg@example.com");
  await expect(second).toHaveURL(new RegExp(`^${APP_URL}/sign-in\\?error=AccountConflict`));
  await expect(second.getByText("already signs in with another single sign-on account")).toBeVisible();

  // Pat's own subject still signs in as Pat.
  const again = await freshSsoSignIn(browser, "pat-subject|Pat.Prereg@Example.com");
  await expect(again.getByTestId("current-user")).toHaveText("pat.prereg@example.com");

  // People who sign in with SSO are not offered as demo users.
  await again.context().clearCookies();
  await again.goto("/sign-in");
  await expect(again.getByRole("button", { name: "Sign in as Ada Admin" })).toBeVisible();
  await expect(again.getByRole("button", { name: "Sign in as Pat Prereg" })).toHaveCount(0);

  // The link is in the audit log.
  await admin.goto("/audit");
  await expect(admin.getByRole("row").filter({ hasText: "auth.account_linked" }).first()).toContainText("pat.prereg@example.com");
});

test("completing SSO while signed in as someone else does not link the provider's subject to them", async ({ browser }) => {
  const context = await browser.newContext({ baseURL: APP_URL });
  const sso = await context.newPage();
  await sso.goto("/sign-in");
  await sso.getByRole("button", { name: "Sign in with Test IdP" }).click();
  await expect(sso).toHaveURL(new RegExp(`^${OIDC_ISSUER}/interaction/`));

  // Meanwhile, in another tab of the same browser, Omar signs in with the demo list.
  const demo = await context.newPage();
  await signInAs(demo, "Omar Owner");

  await sso.locator('input[name="login"]').fill("late.newcomer@example.com");
  await sso.locator('input[name="password"]').fill("any password");
  await sso.getByRole("button", { name: "Sign-in" }).click();
  await sso.getByRole("button", { name: "Continue" }).click();
  // The subject becomes its own person, not a second way into Omar's account.
  await expect(sso.getByTestId("current-user")).toHaveText("late.newcomer@example.com");
  await context.close();

  const fresh = await (await browser.newContext({ baseURL: APP_URL })).newPage();
  await fresh.goto("/sign-in");
  await expect(fresh.getByRole("button", { name: "Sign in as Omar Owner" })).toBeVisible();
});
