import { expect, test } from "@playwright/test";
import { signInAs } from "./fixtures";

test("an admin adds a user with roles, and the change is in the audit log", async ({ page }) => {
  await signInAs(page, "Ada Admin");
  await page.getByRole("link", { name: "Admin", exact: true }).click();
  const form = page.getByRole("form", { name: "Add a user" });
  await form.getByLabel("Email").fill("new.approver@example.com");
  await form.getByLabel("Name").fill("New Approver");
  await form.getByLabel("Approver", { exact: true }).check();
  await form.getByRole("button", { name: "Add user" }).click();
  await expect(form.getByRole("status")).toHaveText("Added new.approver@example.com.");
  await expect(page.getByTestId("user-row-new.approver@example.com")).toContainText("New Approver");

  // The security lead role needs approval: the user is not added until a security lead agrees.
  await form.getByLabel("Email").fill("new.lead@example.com");
  await form.getByLabel("Name").fill("New Lead");
  await form.getByLabel("Security lead", { exact: true }).check();
  await form.getByLabel("Justification", { exact: true }).fill("Joins the security team");
  await form.getByRole("button", { name: "Add user" }).click();
  await expect(form.getByRole("status")).toContainText("Sent for approval: Make new.lead@example.com security lead.");
  await expect(page.getByTestId("user-row-new.lead@example.com")).toHaveCount(0);

  await page.getByRole("link", { name: "Audit log" }).click();
  await expect(page.getByRole("row").filter({ hasText: "user.created" }).first()).toContainText("ada.admin@example.com");
  await expect(page.getByRole("row").filter({ hasText: "approval.requested" }).first()).toContainText("ada.admin@example.com");
});

test("an admin's bad input is refused with the field named, and nothing is added", async ({ page }) => {
  await signInAs(page, "Ada Admin");
  await page.goto("/admin");
  const form = page.getByRole("form", { name: "Add a user" });
  await form.getByLabel("Email").fill("twice@example.com");
  await form.getByLabel("Name").fill("Twice");
  await form.getByLabel("Auditor").check();
  await form.getByLabel("Approver").check();
  await form.getByRole("button", { name: "Add user" }).click();
  await expect(form.getByRole("alert")).toContainText("roles: Auditor cannot be combined with other roles");
  await expect(page.getByTestId("user-row-twice@example.com")).toHaveCount(0);
});

test("an auditor reads users and the audit log but is offered no way to change anything", async ({ page }) => {
  await signInAs(page, "Audrey Auditor");
  await page.goto("/admin");
  await expect(page.getByTestId("user-row-ada.admin@example.com")).toBeVisible();
  await expect(page.getByRole("button")).toHaveText(["Sign out"]);
  await expect(page.getByRole("textbox")).toHaveCount(0);
  await expect(page.getByRole("checkbox")).toHaveCount(0);

  await page.goto("/audit");
  await expect(page.getByRole("row").filter({ hasText: "auth.signed_in" }).first()).toBeVisible();
});

test("an owner creates an API token, sees it once, and can revoke it", async ({ page }) => {
  await signInAs(page, "Omar Owner");
  await page.goto("/admin");
  await expect(page.getByRole("heading", { name: "Users and roles" })).toHaveCount(0);
  const form = page.getByRole("form", { name: "Create an API token" });
  await form.getByLabel("Name").fill("laptop script");
  await form.getByRole("checkbox", { name: "write", exact: true }).check();
  await form.getByRole("button", { name: "Create token" }).click();
  const secret = await page.getByTestId("new-token-secret").textContent();
  expect(secret).toMatch(/^wrt_[A-Za-z0-9_-]{20,}$/);

  const me = await page.request.get("/api/v1/me", { headers: { authorization: `Bearer ${secret}` } });
  expect(me.status()).toBe(200);
  expect(await me.json()).toMatchObject({ kind: "api_token", label: "laptop script (omar.owner@example.com)" });

  await page.reload();
  await expect(page.getByTestId("new-token-secret")).toHaveCount(0);
  const row = page.getByRole("row").filter({ hasText: "laptop script" });
  await expect(row).toContainText("Active");

  // Suspending the token's inventory record stops it, and the list says so.
  const auth = { authorization: `Bearer ${secret}` };
  const found = await page.request.get(`/api/v1/identities?q=${encodeURIComponent(`api-token ${secret!.slice(0, 10)}`)}`, {
    headers: auth,
  });
  const [identity] = ((await found.json()) as { data: { id: string }[] }).data;
  const suspended = await page.request.post(`/api/v1/identities/${identity!.id}/suspend`, {
    headers: auth,
    data: { reason: "pausing the script" },
  });
  expect(suspended.status()).toBe(200);
  expect((await page.request.get("/api/v1/me", { headers: auth })).status()).toBe(401);
  await page.reload();
  await expect(row).toContainText("Stopped: identity suspended");

  await page.getByRole("form", { name: "Revoke laptop script" }).getByRole("button", { name: "Revoke" }).click();
  await expect(page.getByRole("row").filter({ hasText: "laptop script" })).toContainText("Revoked");
  const after = await page.request.get("/api/v1/me", { headers: { authorization: `Bearer ${secret}` } });
  expect(after.status()).toBe(401);
});
