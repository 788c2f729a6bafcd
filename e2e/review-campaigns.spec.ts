import { expect, test } from "@playwright/test";
import { signInAs } from "./fixtures";

// A review campaign from both sides: a security lead starts one from a saved
// view and watches its progress; the owner attests in between.

// Olivia's suspended MCP server: no other journey reviews it. Attesting its overdue review takes it
// out of the demo's "prod, review overdue" set that inventory-table.spec.ts asserts, so this file is
// named to run after that one (Playwright runs spec files in name order, one worker).
const IDENTITY = "postgres-mcp-payments";

test("a security lead starts a campaign from a saved view and watches its progress change as the owner attests", async ({
  page,
  browser,
}) => {
  test.setTimeout(90_000);
  await signInAs(page, "Sam Lead");
  await page.goto(`/inventory?q=${IDENTITY}`);
  await page.getByText("Saved views (", { exact: false }).click();
  const save = page.getByRole("form", { name: "Save the current view" });
  await save.getByLabel("Name of this view").fill("Payments MCP servers");
  await save.getByRole("button", { name: "Save view" }).click();
  await page.getByRole("link", { name: "Start a campaign over Payments MCP servers" }).click();

  await expect(page.getByRole("heading", { name: "Start a campaign", level: 1 })).toBeVisible();
  await expect(page.getByRole("region", { name: "Identities" })).toContainText("Saved view Payments MCP servers");
  await expect(page.getByTestId("campaign-matches")).toHaveText("1 identity in service matches now.");
  const form = page.getByRole("form", { name: "Start a campaign" });
  await form.getByLabel("Name").fill("Payments MCP check");
  await form.getByLabel("Message to the owners").fill("Database access for agents is audited this quarter.");
  await form.getByRole("button", { name: "Start campaign" }).click();

  await expect(page.getByRole("heading", { name: "Payments MCP check", level: 1 })).toBeVisible();
  await expect(page).toHaveURL(/\/campaigns\/[^/]+$/);
  const campaignUrl = page.url();
  await expect(page.getByTestId("campaign-attested")).toHaveText("0");
  // Its scheduled review was already open, 40 days late: it joined the campaign as it was.
  await expect(page.getByTestId("campaign-overdue")).toHaveText("1");
  await expect(page.getByTestId("campaign-review").filter({ hasText: IDENTITY })).toContainText("Overdue");
  await expect(page.getByRole("img", { name: /Reviews still open by day: 1 open on/ })).toBeVisible();
  await page.getByRole("button", { name: "Nudge everyone late" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Nudged" })).toHaveText("Nudged 1 person about 1 overdue review.");
  // Nobody is nudged twice in a day.
  await page.getByRole("button", { name: "Nudge everyone late" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "next nudge is possible" })).toContainText(
    "Everyone late in Payments MCP check was nudged",
  );

  // The owner finds the review under My tasks and attests, in a browser of her own.
  const owner = await browser.newContext();
  const ownerPage = await owner.newPage();
  await signInAs(ownerPage, "Olivia Owner");
  await ownerPage.getByRole("link", { name: "My tasks" }).click();
  const owed = ownerPage.getByRole("list", { name: "Reviews awaiting your attestation" });
  await owed.getByRole("listitem").filter({ hasText: IDENTITY }).getByRole("link", { name: IDENTITY }).click();
  const attest = ownerPage.getByRole("form", { name: "Attest this review" });
  for (const question of [
    "Is this identity still needed?",
    "Is its purpose unchanged?",
    "Is its access still the least it needs?",
    "Have its credentials been rotated as their rotation period asks?",
  ]) {
    await attest.getByRole("group", { name: question }).getByRole("radio", { name: "Yes", exact: true }).check();
  }
  await attest.getByRole("group", { name: "Outcome" }).getByRole("radio", { name: "Keep" }).check();
  await attest.getByRole("button", { name: "Submit attestation" }).click();
  await expect(ownerPage.getByRole("status").filter({ hasText: /^Attested the review of/ })).toHaveText(
    `Attested the review of ${IDENTITY}: keep.`,
  );
  await owner.close();

  await page.goto(campaignUrl);
  await expect(page.getByTestId("campaign-attested")).toHaveText("1");
  await expect(page.getByTestId("campaign-overdue")).toHaveText("0");
  await expect(page.getByTestId("campaign-review").filter({ hasText: IDENTITY })).toContainText("Attested");
  await expect(page.getByRole("table", { name: "By owner" })).toContainText("Olivia Owner");

  // Everyone who reads the inventory reads campaigns; only security leads act on them.
  await page.getByRole("button", { name: "Sign out" }).click();
  await signInAs(page, "Audrey Auditor");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Campaigns", exact: true }).click();
  await page.getByRole("link", { name: "Payments MCP check" }).click();
  await expect(page.getByTestId("campaign-attested")).toHaveText("1");
  await expect(page.getByRole("button", { name: "Nudge everyone late" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Close campaign" })).toHaveCount(0);
  const report = await page.request.get(`${new URL(campaignUrl).pathname}/report.csv`);
  expect(report.status()).toBe(200);
  expect(await report.text()).toMatch(
    new RegExp(`^${IDENTITY},PROD,Olivia Owner,olivia\\.owner@example\\.com,Payments,ATTESTED,KEEP,Olivia Owner,`, "m"),
  );
});
