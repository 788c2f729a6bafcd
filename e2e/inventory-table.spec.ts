import { expect, test, type Page } from "@playwright/test";
import { DEMO_IDENTITIES } from "../lib/demo/seed";
import { signInAs } from "./fixtures";

// The inventory table as a security lead uses it: filters, sorting, the back
// button and saved views all live in the URL; the expected rows come from the
// demo organisation's definition, not from the page.

const LIVE_STATUSES = ["PROPOSED", "ACTIVE", "SUSPENDED"];
const PROD_OVERDUE = DEMO_IDENTITIES.filter(
  (identity) => identity.environment === "PROD" && LIVE_STATUSES.includes(identity.status) && identity.nextReviewInDays < 0,
)
  .map((identity) => identity.name)
  .sort();

function identityTable(page: Page) {
  return page.getByRole("table", { name: "AI identities" });
}

/** The identity names in the table, top to bottom. */
async function shownNames(page: Page): Promise<string[]> {
  return identityTable(page).locator("tbody").getByRole("link").allTextContents();
}

function params(page: Page): URLSearchParams {
  return new URL(page.url()).searchParams;
}

test("a security lead filters to prod identities with overdue reviews, sorts, goes back, and reopens a saved view", async ({ page }) => {
  expect(PROD_OVERDUE.length).toBeGreaterThan(1);
  await signInAs(page, "Sam Lead");
  await page.getByRole("link", { name: "Inventory", exact: true }).click();
  await expect(identityTable(page)).toBeVisible();
  const everything = await shownNames(page);
  expect(everything.length).toBeGreaterThan(PROD_OVERDUE.length);

  // Filter through the form, as a person would.
  const filters = page.getByRole("form", { name: "Filters" });
  await filters.locator("summary", { hasText: "Environment" }).click();
  await filters.getByRole("checkbox", { name: "Prod", exact: true }).check();
  await filters.getByRole("checkbox", { name: "Review overdue" }).check();
  await filters.getByRole("button", { name: "Apply filters" }).click();

  await expect(page).toHaveURL(/reviewOverdue=1/);
  expect(params(page).get("environment")).toBe("PROD");
  expect(params(page).get("reviewOverdue")).toBe("1");
  await expect.poll(() => shownNames(page)).toEqual(PROD_OVERDUE);
  await expect(page.getByTestId("page-summary")).toHaveText(`Page 1 of 1, ${PROD_OVERDUE.length} identities`);
  for (const row of await identityTable(page).locator("tbody tr").all()) await expect(row).toContainText("(overdue)");

  // Sorting by name again reverses the order, and the URL says so.
  await identityTable(page).getByRole("button", { name: "Name", exact: true }).click();
  await expect(page).toHaveURL(/dir=desc/);
  expect(params(page).get("sort")).toBe("name");
  await expect.poll(() => shownNames(page)).toEqual([...PROD_OVERDUE].reverse());
  await expect(identityTable(page).getByRole("columnheader", { name: "Name" })).toHaveAttribute("aria-sort", "descending");

  // Back restores the previous view: filtered, ascending.
  await page.goBack();
  await expect(page).not.toHaveURL(/dir=desc/);
  await expect.poll(() => shownNames(page)).toEqual(PROD_OVERDUE);
  await expect(filters.getByRole("checkbox", { name: "Review overdue" })).toBeChecked();

  // Back once more: the unfiltered inventory; forward again to the filtered view.
  await page.goBack();
  await expect.poll(() => shownNames(page)).toEqual(everything);
  await expect(filters.getByRole("checkbox", { name: "Review overdue" })).not.toBeChecked();
  await page.goForward();
  await expect.poll(() => shownNames(page)).toEqual(PROD_OVERDUE);

  // Save this view, leave it, and come back to it from the saved views.
  await page.locator("summary", { hasText: "Saved views" }).click();
  const saveForm = page.getByRole("form", { name: "Save the current view" });
  await saveForm.getByLabel("Name of this view").fill("Prod, review overdue");
  await saveForm.getByRole("button", { name: "Save view" }).click();
  await expect(saveForm.getByRole("status")).toHaveText("Saved the view Prod, review overdue.");

  await page.getByRole("link", { name: "Inventory", exact: true }).click();
  await expect(page).toHaveURL(/\/inventory$/);
  await expect.poll(() => shownNames(page)).toEqual(everything);

  await page.locator("summary", { hasText: "Saved views" }).click();
  await page.getByRole("list", { name: "Saved views" }).getByRole("link", { name: "Prod, review overdue", exact: true }).click();
  await expect(page).toHaveURL(/reviewOverdue=1/);
  expect(params(page).get("environment")).toBe("PROD");
  await expect.poll(() => shownNames(page)).toEqual(PROD_OVERDUE);
  await expect(filters.getByRole("checkbox", { name: "Review overdue" })).toBeChecked();
  await expect(filters.locator("summary", { hasText: "Environment" })).toHaveText("Environment: Prod");
});

test("hidden columns and the page size are kept in the URL", async ({ page }) => {
  await signInAs(page, "Sam Lead");
  await page.goto("/inventory");
  const table = identityTable(page);
  await expect(table.getByRole("columnheader", { name: "Team" })).toBeVisible();
  await page.locator("summary", { hasText: "Columns" }).click();
  await page.getByRole("group", { name: "Visible columns" }).getByRole("checkbox", { name: "Team" }).uncheck();
  await expect(table.getByRole("columnheader", { name: "Team" })).toHaveCount(0);
  await expect(page).toHaveURL(/hide=team/);

  await page.getByLabel("Rows per page").selectOption("50");
  await expect(page).toHaveURL(/pageSize=50/);
  await expect(page.getByLabel("Rows per page")).toHaveValue("50");
  await page.reload();
  await expect(table.getByRole("columnheader", { name: "Team" })).toHaveCount(0);
  await expect(table.getByRole("columnheader", { name: "Owner" })).toBeVisible();
});

test("a bad filter in the address is named, and the table falls back to everything", async ({ page }) => {
  await signInAs(page, "Sam Lead");
  await page.goto("/inventory?environment=MOON");
  await expect(page.getByRole("alert").filter({ hasText: "not valid" })).toContainText("environment");
  await expect.poll(async () => (await shownNames(page)).length).toBeGreaterThan(PROD_OVERDUE.length);
});

test("security leads see orphaned identities in their tasks; owners do not", async ({ page }) => {
  const orphanedOwners = new Set(["former.engineer@example.com"]);
  const orphans = DEMO_IDENTITIES.filter((identity) => orphanedOwners.has(identity.owner)).map((identity) => identity.name);
  expect(orphans.length).toBeGreaterThan(0);

  await signInAs(page, "Sam Lead");
  await page.getByRole("link", { name: "My tasks" }).click();
  const queue = page.getByRole("list", { name: "Orphaned identities" });
  await expect(queue.getByRole("link")).toHaveText(orphans);
  // The demo's leaver was deactivated three days ago.
  for (const orphan of orphans) await expect(queue.getByRole("listitem").filter({ hasText: orphan })).toContainText("orphaned 3 days");
  // With no backup owner, their open reviews are the security leads' to attest.
  const orphanReviews = page.getByRole("list", { name: "Reviews of orphans with no backup owner" });
  await expect(orphanReviews.getByRole("link", { name: orphans[0] })).toHaveCount(1);
  await orphanReviews.getByRole("link", { name: orphans[0] }).click();
  await expect(page.getByTestId("orphaned-banner")).toContainText("It has no active backup owner, so security leads attest its reviews.");
  await expect(page.getByRole("form", { name: "Attest this review" })).toHaveCount(1);
  await page.goto("/tasks");
  await page.getByRole("link", { name: /Open in the inventory/ }).click();
  await expect(page).toHaveURL(/orphaned=1/);
  await expect.poll(() => shownNames(page)).toEqual(orphans);
  await expect(identityTable(page).getByRole("row", { name: new RegExp(orphans[0]!) })).toContainText("Orphaned 3 days");

  await page.getByRole("button", { name: "Sign out" }).click();
  await signInAs(page, "Omar Owner");
  await page.goto("/tasks");
  await expect(page.getByRole("heading", { name: "My tasks", level: 1 })).toBeVisible();
  await expect(page.getByRole("heading", { name: /Orphaned identities/ })).toHaveCount(0);
  await expect(page.getByRole("heading", { name: /Reviews of orphans/ })).toHaveCount(0);
});

test("a security lead reassigns an orphaned identity from the table, and it leaves the orphan queue", async ({ page }) => {
  await signInAs(page, "Sam Lead");
  await page.goto("/inventory?orphaned=1");
  const [orphan] = await shownNames(page);
  expect(orphan).toBeTruthy();
  await identityTable(page)
    .getByRole("checkbox", { name: `Select ${orphan}` })
    .check();
  const selection = page.getByRole("region", { name: "Selected rows" });
  await expect(selection).toContainText("1 identity selected");
  const assign = selection.getByRole("form", { name: "Assign an owner to the selected identities" });
  // Owners are looked up as you type: a picker, not a list of every person.
  await assign.getByRole("combobox", { name: "New owner" }).fill("omar");
  await assign.getByRole("option", { name: "Omar Owner <omar.owner@example.com>" }).click();
  await assign.getByRole("button", { name: "Assign owner" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Reassigned" })).toHaveText("Reassigned 1 identity.");
  await expect.poll(() => shownNames(page)).toEqual([]);

  await page.goto("/tasks");
  await expect(page.getByText("No orphaned identities: every identity has an active owner.")).toBeVisible();
});
