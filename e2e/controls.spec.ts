import { expect, test } from "@playwright/test";
import { dayFromNow, signInAs } from "./fixtures";

// A security lead works a failing control: runs the controls, opens the one
// that fails, follows the failing object to its identity, fixes it there, and
// sees the control pass on the next run. An auditor reads the same controls
// and may not run them.

const CONTROL = "Business purpose and review date on every identity";

test("a security lead follows a failing control to the identity, fixes it, and the control passes on the next run", async ({ page }) => {
  // Three pages, two forms and two runs of every control: past the default 30 s when the two cores are busy.
  test.setTimeout(90_000);
  await signInAs(page, "Sam Lead");
  await page.goto("/inventory/new");
  const register = page.getByRole("form", { name: "Register an identity" });
  await register.getByLabel("Name", { exact: true }).fill("e2e-vague-bot");
  await register.getByLabel("Kind", { exact: true }).selectOption({ label: "CI bot" });
  await register.getByLabel("Purpose", { exact: true }).fill("tbd");
  await register.getByLabel("Environment", { exact: true }).selectOption({ label: "Dev" });
  await register.getByLabel("Expiry date", { exact: true }).fill(dayFromNow(60));
  await register.getByRole("button", { name: "Register identity" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "e2e-vague-bot" })).toBeVisible();

  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Controls", exact: true }).click();
  await page.getByRole("button", { name: "Run controls now" }).click();
  await expect(page.getByRole("form", { name: "Run the controls" }).getByRole("status")).toContainText("Controls run:");
  const row = page.getByTestId("control-identity.purpose-and-dates");
  await expect(row).toContainText("Fail");
  await expect(row).toContainText("ID.AM-08");
  await row.getByRole("link", { name: CONTROL }).click();

  await expect(page.getByRole("heading", { level: 1, name: CONTROL })).toBeVisible();
  const failing = page.getByTestId("failing-object").filter({ hasText: "e2e-vague-bot" });
  await expect(failing).toContainText('no business purpose stated ("tbd")');
  await expect(page.getByTestId("control-mapping").filter({ hasText: "GOV-01" })).toContainText("Security & Compliance");
  await failing.getByRole("link", { name: "e2e-vague-bot (DEV)" }).click();

  await expect(page.getByRole("heading", { level: 1, name: "e2e-vague-bot" })).toBeVisible();
  await page.getByRole("link", { name: "Edit", exact: true }).click();
  const edit = page.getByRole("form", { name: "Edit identity" });
  await edit.getByLabel("Purpose", { exact: true }).fill("Reruns flaky CI jobs for the web team");
  await edit.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "e2e-vague-bot" })).toBeVisible();

  await page.goto("/controls/identity.purpose-and-dates");
  await page.getByRole("button", { name: "Run controls now" }).click();
  await expect(page.getByRole("form", { name: "Run the controls" }).getByRole("status")).toContainText("Controls run:");
  await expect(page.getByRole("heading", { name: /^Status/ })).toContainText("Pass");
  await expect(page.getByTestId("failing-object")).toHaveCount(0);
  await expect(page.getByTestId("control-measure")).toHaveText(/^\d+ of \d+ identities in service pass$/);
});

test("an auditor reads the controls and a framework's coverage, and may not run them", async ({ page }) => {
  await signInAs(page, "Audrey Auditor");
  // The dashboard gives each framework's pass rate over the controls' runs.
  await expect(page.getByTestId("pass-rate-nist-csf-2.0")).toContainText(/\d+(\.\d)?%/);
  await page.goto("/controls");
  await expect(page.getByRole("table", { name: "Controls" }).locator("tbody tr")).toHaveCount(15);
  await expect(page.getByRole("button", { name: "Run controls now" })).toHaveCount(0);
  await page.getByRole("link", { name: "OWASP Top 10 for Agentic Applications 2026" }).click();
  await expect(page.getByTestId("coverage-summary")).toContainText(/\d+ of 10 requirements covered by a control/);
  await expect(page.getByTestId("requirement-row").filter({ hasText: "ASI02" })).toContainText("Runtime policy in force (as A2)");
  await page.getByRole("link", { name: /\d+ gaps/ }).click();
  await expect(page).toHaveURL(/view=gaps/);
  for (const row of await page.getByTestId("requirement-row").all()) await expect(row).toContainText("No control");
});
