import { expect, test } from "@playwright/test";
import { APP_URL, signInAs } from "./fixtures";

test("an admin reads what Warrant would have emailed, and adds a webhook whose secret is shown once", async ({ page }) => {
  await signInAs(page, "Ada Admin");
  await page.goto("/admin");
  await page.getByRole("link", { name: "Notifications: the outbox and webhooks →" }).click();
  await expect(page.getByRole("heading", { name: "Notifications", level: 1 })).toBeVisible();
  // The demo has no SMTP server: its email waits in the outbox, readable.
  await expect(page.getByRole("note").filter({ hasText: "No SMTP server is configured" })).toBeVisible();
  const row = page.getByRole("row").filter({ hasText: "Review overdue: claude-code-release-agent" });
  await expect(row).toContainText("pending");
  await expect(row).toContainText("olivia.owner@example.com");
  await row.getByRole("link", { name: "Review overdue: claude-code-release-agent" }).click();
  const body = page.getByTestId("message-body");
  await expect(body).toContainText("The review of claude-code-release-agent (PROD, deploys to k8s-prod) was due 12 days ago.");
  await expect(body).toContainText(`${APP_URL}/inventory/`);

  const form = page.getByRole("form", { name: "Add a webhook" });
  await form.getByLabel("Name").fill("chatops");
  await form.getByLabel("URL").fill("ftp://chat.example.com/hooks");
  await form.getByRole("button", { name: "Add webhook" }).click();
  await expect(form.getByRole("alert")).toContainText("url: must start with https:// or http://");
  await expect(page.getByTestId("webhook-chatops")).toHaveCount(0);

  await form.getByLabel("URL").fill("https://chat.example.com/hooks/warrant");
  await form.getByLabel("Format").selectOption("SLACK");
  await form.getByLabel(/^Events/).fill("approval.*");
  await form.getByRole("button", { name: "Add webhook" }).click();
  await expect(page.getByTestId("new-webhook-secret")).toHaveText(/^whsec_[A-Za-z0-9_-]{43}$/);
  const hook = page.getByTestId("webhook-chatops");
  await expect(hook).toContainText("https://chat.example.com/hooks/warrant");
  await expect(hook).toContainText("approval.*");

  await hook.getByRole("button", { name: "Deactivate" }).click();
  await expect(hook).toContainText("Inactive");
  await page.reload();
  await expect(page.getByTestId("new-webhook-secret")).toHaveCount(0);
});

test("an owner chooses a daily digest for overdue reminders; escalations cannot be muted", async ({ page }) => {
  await signInAs(page, "Olivia Owner");
  await page.getByTestId("current-user").click();
  await expect(page.getByRole("heading", { name: "Your notifications", level: 1 })).toBeVisible();
  const form = page.getByRole("form", { name: "Your notifications" });
  const overdueDigest = form.getByRole("radio", { name: /^Overdue review reminders.*: Daily digest$/ });
  await expect(form.getByRole("radio", { name: /^Overdue review reminders.*: Email$/ })).toBeChecked();
  await overdueDigest.check();
  await form.getByRole("button", { name: "Save" }).click();
  await expect(form.getByRole("status")).toHaveText("Saved.");
  await page.reload();
  await expect(overdueDigest).toBeChecked();
  await expect(form.getByRole("row").filter({ hasText: "A review passed the escalation point" })).toContainText("Always by email");
});
