import { expect, test } from "@playwright/test";
import { signInAs } from "./fixtures";

// Runtime policies in the browser: a security lead edits them, sees each
// problem at its line and column, stores a version and asks for its
// activation; a member reads them and can change nothing.

test("a security lead fixes a policy the schema refuses, stores it and asks for its activation", async ({ page }) => {
  await signInAs(page, "Sam Lead");
  await page.getByRole("link", { name: "Policies" }).click();
  await expect(page.getByRole("heading", { name: "Policies", level: 1 })).toBeVisible();
  await expect(page.getByTestId("policy-version-1")).toContainText("Active");

  const editor = page.getByRole("form", { name: "Write a new policy version" });
  const text = editor.getByLabel("Policies (Cedar)");
  await expect(text).toHaveValue(/@id\("deploy-needs-approval"\)/);
  const extra =
    '\n@id("no-friday-deploys")\n@reason("No deploys on Fridays.")\nforbid (principal, action == Action::"deploy", resource)\n  when { principal.weekday == 5 };\n';
  await text.fill((await text.inputValue()) + extra);
  await editor.getByLabel("What changed and why").fill("No deploys on Fridays");
  await editor.getByRole("button", { name: "Save as a new version" }).click();

  const problems = editor.getByRole("list", { name: "Problems in the policies" });
  await expect(problems).toContainText(/line \d+, column \d+: .*attribute `weekday`/);
  // What was typed is still there to fix.
  await expect(text).toHaveValue(/no-friday-deploys/);

  await text.fill(
    (await text.inputValue()).replace("principal.weekday == 5", 'context has taskIntent && context.taskIntent like "*friday*"'),
  );
  await editor.getByRole("button", { name: "Save as a new version" }).click();
  await expect(editor.getByRole("status")).toContainText(/Stored version \d+ \(10 policies\)/);

  const row = page.locator('[data-testid^="policy-version-"]', { hasText: "No deploys on Fridays" });
  await expect(row).toContainText("never");
  const activate = row.getByRole("form", { name: /Activate version/ });
  await activate.getByRole("button", { name: "Activate" }).click();
  await expect(activate.getByRole("alert")).toContainText("justification: is required");
  await activate.getByLabel("Justification").fill("Friday freeze agreed with the release managers");
  await activate.getByRole("button", { name: "Activate" }).click();
  await expect(activate.getByRole("status")).toContainText("Sent for approval: Activate runtime policies version");
  await expect(page.getByTestId("policy-version-1")).toContainText("Active");
});

test("a member reads the active policies and can change nothing", async ({ page }) => {
  await signInAs(page, "Omar Owner");
  await page.goto("/policies");
  await expect(page.getByLabel(/Policies of version \d+/)).toContainText('@id("grant-required")');
  await expect(page.getByRole("form", { name: "Write a new policy version" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Activate" })).toHaveCount(0);
});
