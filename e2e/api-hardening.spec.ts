import { expect, test } from "@playwright/test";
import { signInAs } from "./fixtures";

test("unknown paths under /api/ answer the JSON error shape, while health and Auth.js still answer", async ({ request }) => {
  for (const path of ["/api/v1/unknown", "/api/unknown", "/api/v1/identities/x/y/z"]) {
    const response = await request.get(path);
    expect(response.status(), path).toBe(404);
    expect(response.headers()["content-type"], path).toMatch(/^application\/json/);
    expect((await response.json()).error.code, path).toBe("not_found");
  }
  expect((await request.get("/api/health")).status()).toBe(200);
  const providers = await request.get("/api/auth/providers");
  expect(providers.status()).toBe(200);
  expect(await providers.json()).toHaveProperty("oidc");
});

test("a security lead revokes another person's API token on the Admin page, and it stops working", async ({ browser, request }) => {
  const ownerPage = await (await browser.newContext()).newPage();
  await signInAs(ownerPage, "Olivia Owner");
  await ownerPage.goto("/admin");
  const form = ownerPage.getByRole("form", { name: "Create an API token" });
  await form.getByLabel("Name").fill("olivia's sync job");
  await form.getByRole("button", { name: "Create token" }).click();
  const secret = (await ownerPage.getByTestId("new-token-secret").textContent())!;
  const auth = { authorization: `Bearer ${secret}` };
  expect((await request.get("/api/v1/me", { headers: auth })).status()).toBe(200);
  // A token cannot make itself a successor.
  const child = await request.post("/api/v1/api-tokens", { headers: auth, data: { name: "child", scopes: ["READ"], expiresInDays: 365 } });
  expect(child.status()).toBe(403);

  const leadPage = await (await browser.newContext()).newPage();
  await signInAs(leadPage, "Sam Lead");
  await leadPage.goto("/admin");
  const section = leadPage.getByRole("region", { name: "Everyone's API tokens" });
  const row = section.getByRole("row").filter({ hasText: "olivia's sync job" });
  await expect(row).toContainText("olivia.owner@example.com");
  await row.getByRole("button", { name: "Revoke" }).click();
  await expect(section.getByRole("row").filter({ hasText: "olivia's sync job" })).toHaveCount(0);
  expect((await request.get("/api/v1/me", { headers: auth })).status()).toBe(401);
});
