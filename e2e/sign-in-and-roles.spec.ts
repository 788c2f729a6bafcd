import { expect, test } from "@playwright/test";
import { DEMO_IDENTITIES, DEMO_USERS } from "../lib/demo/seed";
import { signInAs } from "./fixtures";

test("a visitor without a session is sent to sign-in, which lists the demo users under a demo banner", async ({ page }) => {
  await page.goto("/admin");
  await expect(page).toHaveURL(/\/sign-in\?callbackUrl=%2Fadmin/);
  await expect(page.getByTestId("demo-banner")).toContainText("Demo mode");
  for (const user of DEMO_USERS.filter((candidate) => candidate.active !== false)) {
    await expect(page.getByRole("button", { name: `Sign in as ${user.name}` })).toBeVisible();
  }
  // Deactivated people are not offered.
  await expect(page.getByRole("button", { name: "Sign in as Former Engineer" })).toHaveCount(0);
});

const ROLE_CASES = [
  { name: "Ada Admin", badge: "Admin" },
  { name: "Sam Lead", badge: "Security lead" },
  { name: "Alex Approver", badge: "Approver" },
  { name: "Audrey Auditor", badge: "Auditor" },
  { name: "Olivia Owner", badge: "Owner" },
];

for (const { name, badge } of ROLE_CASES) {
  test(`${name} signs in and sees live identity counts by status, with their role in the header`, async ({ page }) => {
    await signInAs(page, name);
    const email = DEMO_USERS.find((user) => user.name === name)!.email;
    await expect(page.getByTestId("current-user")).toHaveText(email);
    await expect(page.getByTestId("current-roles")).toContainText(badge);
    await expect(page.getByTestId("demo-banner")).toBeVisible();
    // Other specs add identities to the same server, so the demo data is a lower bound here;
    // the exact link-to-count agreement is checked below.
    for (const status of ["ACTIVE", "SUSPENDED", "EXPIRED", "RETIRED", "PROPOSED"]) {
      const seeded = DEMO_IDENTITIES.filter((identity) => identity.status === status).length;
      const shown = Number(
        await page
          .getByTestId(`status-count-${status}`)
          .innerText()
          .then((text) => text.replace(/\D/g, "")),
      );
      expect(shown, status).toBeGreaterThanOrEqual(seeded);
    }
    // Which links each role is offered is checked in every-page.spec.ts.
    await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Inventory", exact: true })).toBeVisible();
  });
}

test("every dashboard number opens the inventory showing exactly the identities it counts", async ({ page }) => {
  await signInAs(page, "Sam Lead");
  for (const testId of ["status-count-ACTIVE", "attention-review-overdue", "attention-high-risk", "attention-orphaned"]) {
    await page.goto("/");
    const tile = page.getByTestId(testId);
    const counted = (await tile.locator("span").last().innerText()).trim();
    await tile.click();
    await expect(page).toHaveURL(/\/inventory\?/);
    await expect(page.getByTestId("page-summary")).toContainText(`, ${counted} ${counted === "1" ? "identity" : "identities"}`);
  }
});

test("signing out ends the session", async ({ page }) => {
  await signInAs(page, "Olivia Owner");
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/sign-in/);
  await page.goto("/");
  await expect(page).toHaveURL(/\/sign-in/);
});

test("pages carry a nonce-based Content-Security-Policy and the other security headers", async ({ page }) => {
  const response = await page.goto("/sign-in");
  const headers = response!.headers();
  expect(headers["content-security-policy"]).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'/);
  expect(headers["content-security-policy"]).toContain("frame-ancestors 'none'");
  expect(headers["x-content-type-options"]).toBe("nosniff");
  expect(headers["referrer-policy"]).toBe("strict-origin-when-cross-origin");

  const health = await page.request.get("/api/health");
  expect(await health.json()).toMatchObject({ status: "ok", database: { status: "ok" } });
  expect(health.headers()["content-security-policy"]).toContain("frame-ancestors 'none'");
  expect(health.headers()["x-content-type-options"]).toBe("nosniff");
});
