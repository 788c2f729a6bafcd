import { expect, test } from "@playwright/test";
import { signInAs } from "./fixtures";

// Identity templates as people use them: an owner registers an approved kind
// of tool with a name and a purpose; a security lead writes a template.

test("an owner registers an identity from a template in two fields, and it arrives with the template's access", async ({ page }) => {
  await signInAs(page, "Olivia Owner");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Templates", exact: true }).click();
  await expect(page.getByRole("heading", { name: "Identity templates", level: 1 })).toBeVisible();
  await page.getByRole("link", { name: "Register from Claude Code, dev" }).click();

  const form = page.getByRole("form", { name: "Register from a template" });
  await expect(form.getByLabel("Template", { exact: true })).toHaveValue(/.+/);
  await expect(form.getByTestId("template-summary")).toContainText("access: Read on github.com/acme/web");
  await form.getByLabel("Name", { exact: true }).fill("claude-code-olivia");
  await form.getByLabel("Purpose", { exact: true }).fill("Refactors the web app with a person reviewing every change");
  await form.getByRole("button", { name: "Register from template" }).click();

  await expect(page.getByRole("heading", { name: "claude-code-olivia", level: 1 })).toBeVisible();
  await expect(page.getByTestId("grant-row")).toHaveCount(1);
  await expect(page.getByTestId("grant-row")).toContainText("github.com/acme/web");
  await page.goto("/templates");
  const row = page.getByTestId("template-row").filter({ hasText: "Claude Code, dev" });
  await expect(row.getByRole("cell").nth(7)).toHaveText("1 / 1");
});

test("a sensitive template's registration waits for approval", async ({ page }) => {
  await signInAs(page, "Olivia Owner");
  await page.goto("/templates");
  await page.getByRole("link", { name: "Register from Release agent, prod" }).click();
  const form = page.getByRole("form", { name: "Register from a template" });
  await form.getByLabel("Name", { exact: true }).fill("release-agent-olivia");
  await form.getByLabel("Purpose", { exact: true }).fill("Deploys tagged releases");
  await form.getByLabel("Justification", { exact: true }).fill("The release train needs a bot of its own");
  await form.getByRole("button", { name: "Register from template" }).click();
  await expect(form.getByRole("status")).toContainText(
    "Sent for approval: Register release-agent-olivia (PROD) from template Release agent, prod",
  );
});

test("a security lead creates a template and changes the lifecycle settings", async ({ page }) => {
  await signInAs(page, "Sam Lead");
  await page.goto("/templates");
  const form = page.getByRole("form", { name: "Create a template" });
  await form.getByLabel("Template name", { exact: true }).fill("Cursor, staging");
  await form.getByLabel("Kind", { exact: true }).selectOption({ label: "IDE assistant" });
  await form.getByLabel("Environment", { exact: true }).selectOption({ label: "Staging" });
  await form.getByLabel("Expires after (days)", { exact: true }).fill("120");
  await form.getByLabel("System 1", { exact: true }).selectOption({ label: "github.com/acme/web (dev, internal)" });
  await form.getByRole("button", { name: "Create template" }).click();
  await expect(form.getByRole("status")).toHaveText("Created template Cursor, staging.");
  await expect(page.getByTestId("template-row").filter({ hasText: "Cursor, staging" })).toContainText("By risk tier");

  await page.getByRole("link", { name: "Lifecycle settings" }).click();
  const settings = page.getByRole("form", { name: "Lifecycle settings" });
  await settings.getByLabel("High: review every (days)", { exact: true }).fill("0");
  await settings.getByRole("button", { name: "Save settings" }).click();
  await expect(settings.getByText("cadenceHighDays: must be at least 1 day", { exact: true })).toBeVisible();
  await settings.getByLabel("High: review every (days)", { exact: true }).fill("60");
  await settings.getByRole("button", { name: "Save settings" }).click();
  await expect(settings.getByRole("status")).toContainText("Saved.");
  await expect(settings.getByLabel("High: review every (days)", { exact: true })).toHaveValue("60");
});
