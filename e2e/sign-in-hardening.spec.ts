import { expect, test } from "@playwright/test";
import { APP_URL, NEXT_PORT, NEXT_URL } from "./fixtures";

test("in demo mode next start answers on 127.0.0.1 only, not on other addresses of the machine", async ({ request }) => {
  expect((await request.get(`${NEXT_URL}/api/health`)).ok()).toBe(true);
  // 127.0.0.2 is this machine too, but not the address demo mode binds to.
  await expect(request.get(`http://127.0.0.2:${NEXT_PORT}/api/health`)).rejects.toThrow(/ECONNREFUSED/);
});

test("the favicon loads without a session instead of redirecting to sign-in", async ({ request }) => {
  const icon = await request.get("/icon.svg", { maxRedirects: 0 });
  expect(icon.status()).toBe(200);
  expect(icon.headers()["content-type"]).toContain("image/svg+xml");
});

test("after demo sign-in a callbackUrl that a browser reads as another host leads to the dashboard", async ({ page }) => {
  // Browsers read `/\evil.example` as `//evil.example`, i.e. another origin.
  await page.goto(`/sign-in?callbackUrl=${encodeURIComponent("/\\evil.example")}`);
  await page.getByRole("button", { name: "Sign in as Olivia Owner" }).click();
  await expect(page).toHaveURL(`${APP_URL}/`);
  await expect(page.getByRole("heading", { name: "Dashboard", level: 1 })).toBeVisible();
});
