import { expect, test } from "@playwright/test";
import { DEMO_IDENTITIES } from "../lib/demo/seed";
import { signInAs } from "./fixtures";

// The journey: a security lead filters the inventory to production
// identities of high or critical risk whose review is overdue, opens one and
// reassigns its owner.

const target = DEMO_IDENTITIES.find((identity) => identity.name === "claude-code-release-agent")!;

test("a security lead filters to prod, high risk, review overdue, opens an identity and reassigns its owner", async ({ page }) => {
  expect(target.environment === "PROD" && target.nextReviewInDays < 0).toBe(true);
  await signInAs(page, "Sam Lead");
  await page.getByRole("link", { name: "Inventory", exact: true }).click();

  const filters = page.getByRole("form", { name: "Filters" });
  // Each multi-select is a disclosure; it is closed again once its choices are made.
  await filters.locator("summary", { hasText: "Environment" }).click();
  await filters.getByRole("checkbox", { name: "Prod", exact: true }).check();
  await filters.locator("summary", { hasText: "Environment" }).click();
  await filters.locator("summary", { hasText: "Risk tier" }).click();
  await filters.getByRole("checkbox", { name: "High", exact: true }).check();
  await filters.getByRole("checkbox", { name: "Critical", exact: true }).check();
  await filters.locator("summary", { hasText: "Risk tier" }).click();
  await filters.getByRole("checkbox", { name: "Review overdue" }).check();
  await filters.getByRole("button", { name: "Apply filters" }).click();
  await expect(page).toHaveURL(/environment=PROD/);
  await expect(page).toHaveURL(/reviewOverdue=1/);

  const table = page.getByRole("table", { name: "AI identities" });
  for (const row of await table.locator("tbody tr").all()) {
    await expect(row).toContainText("Prod");
    await expect(row).toContainText(/High|Critical/);
    await expect(row).toContainText("(overdue)");
  }
  await table.getByRole("link", { name: target.name, exact: true }).click();

  await expect(page.getByRole("heading", { name: target.name, level: 1 })).toBeVisible();
  await expect(page.getByText("deploy on k8s-prod (production, restricted)")).toBeVisible();
  await expect(page.getByTestId("identity-owner")).toContainText("Olivia Owner");

  await page.getByRole("link", { name: "Edit", exact: true }).click();
  const form = page.getByRole("form", { name: "Edit identity" });
  await form.getByLabel("Owner", { exact: true }).selectOption({ label: "Omar Owner <omar.owner@example.com>" });
  await form.getByRole("button", { name: "Save changes" }).click();

  await expect(page.getByTestId("identity-owner")).toContainText("Omar Owner omar.owner@example.com");
  await expect(
    page.getByText(/Owner reassigned from Olivia Owner <olivia.owner@example.com> to Omar Owner <omar.owner@example.com>/),
  ).toBeVisible();

  // The owner filter finds it under its new owner.
  await page.getByRole("link", { name: "Inventory", exact: true }).click();
  const ownerFilter = page.getByRole("form", { name: "Filters" }).getByRole("combobox", { name: "Owner" });
  await ownerFilter.fill("omar.owner");
  await page.getByRole("option", { name: "Omar Owner <omar.owner@example.com>" }).click();
  await page.getByRole("form", { name: "Filters" }).getByRole("button", { name: "Apply filters" }).click();
  await expect(page).toHaveURL(/ownerId=/);
  await expect(page.getByRole("table", { name: "AI identities" }).getByRole("link", { name: target.name, exact: true })).toBeVisible();
  await expect(ownerFilter).toHaveValue("Omar Owner <omar.owner@example.com>");
});
