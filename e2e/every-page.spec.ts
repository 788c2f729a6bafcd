import { expect, test, type Page } from "@playwright/test";
import { signInAs } from "./fixtures";

// Every page as every demo role: no page answers 5xx or throws in the browser,
// and a page the role may not open answers 403 with a page that says so.

const ROLES = ["Ada Admin", "Sam Lead", "Alex Approver", "Audrey Auditor", "Olivia Owner"] as const;
type Role = (typeof ROLES)[number];

const MEMBERS_WITHOUT_AUDIT: Role[] = ["Alex Approver", "Olivia Owner"];

/** Pages, with who gets a 403 there. `{...}` is filled in from the demo data once signed in. */
const PAGES: { path: string; forbiddenFor?: Role[]; status?: number; notFoundFor?: Role[] }[] = [
  { path: "/" },
  { path: "/inventory" },
  { path: "/inventory?reviewOverdue=1&sort=riskTier&dir=desc" },
  { path: "/inventory?status=NOPE" },
  { path: "/inventory/systems" },
  { path: "/inventory/new", forbiddenFor: ["Audrey Auditor"] },
  { path: "/inventory/import", forbiddenFor: ["Audrey Auditor"] },
  // renovate-bot is Omar's, with no backup owner: only leads and admins may edit it.
  { path: "/inventory/{renovate}" },
  { path: "/inventory/{renovate}/edit", forbiddenFor: ["Alex Approver", "Audrey Auditor", "Olivia Owner"] },
  // Olivia's own identity (with an overdue review and a history).
  { path: "/inventory/{release}" },
  { path: "/inventory/{release}/edit", forbiddenFor: ["Alex Approver", "Audrey Auditor"] },
  { path: "/inventory/no-such-identity", status: 404 },
  { path: "/inventory/no-such-identity/edit", status: 404 },
  { path: "/discovered" },
  { path: "/discovered?view=all&sort=repository&dir=asc" },
  { path: "/discovered?view=nope&severity=HIGH&page=0" },
  // A finding in the Payments team's repository: Alex (Platform) does not see it, as if it did not exist.
  { path: "/discovered/{finding}", notFoundFor: ["Alex Approver"] },
  { path: "/discovered/no-such-finding", status: 404 },
  { path: "/templates" },
  // A demo template's page (its edit form for security leads).
  { path: "/templates/{template}" },
  { path: "/templates/no-such-template", status: 404 },
  { path: "/settings/lifecycle" },
  { path: "/inventory/new?template={templateId}", forbiddenFor: ["Audrey Auditor"] },
  { path: "/tasks" },
  { path: "/campaigns" },
  // Starting a campaign is a security lead's.
  { path: "/campaigns/new", forbiddenFor: ["Ada Admin", "Alex Approver", "Audrey Auditor", "Olivia Owner"] },
  { path: "/campaigns/no-such-campaign", status: 404 },
  { path: "/approvals" },
  { path: "/approvals?view=mine" },
  // Members who may not read every request are shown their own view instead.
  { path: "/approvals?view=history&status=APPLIED" },
  { path: "/approvals/settings", forbiddenFor: MEMBERS_WITHOUT_AUDIT },
  { path: "/approvals/no-such-request", status: 404 },
  { path: "/policies" },
  { path: "/decisions" },
  { path: "/decisions?outcome=maybe&sort=latency&dir=asc" },
  { path: "/decisions/no-such-decision", status: 404 },
  { path: "/activity" },
  { path: "/activity?kind=NOPE&flagged=1" },
  { path: "/controls" },
  { path: "/controls/frameworks/nist-csf-2.0" },
  { path: "/controls/frameworks/no-such-framework", status: 404 },
  { path: "/controls/frameworks/nist-csf-2.0?view=gaps" },
  { path: "/controls/identity.owner" },
  { path: "/controls/no.such-control", status: 404 },
  { path: "/audit", forbiddenFor: MEMBERS_WITHOUT_AUDIT },
  { path: "/evidence", forbiddenFor: ["Ada Admin", "Alex Approver", "Olivia Owner"] },
  { path: "/admin" },
  { path: "/account" },
  { path: "/admin/notifications", forbiddenFor: ["Sam Lead", "Alex Approver", "Audrey Auditor", "Olivia Owner"] },
  {
    path: "/admin/notifications?status=FAILED&message=nosuchmessage",
    forbiddenFor: ["Sam Lead", "Alex Approver", "Audrey Auditor", "Olivia Owner"],
  },
];

async function identityPath(page: Page, name: string): Promise<string> {
  await page.goto(`/inventory?q=${name}`);
  const href = await page.getByRole("link", { name, exact: true }).first().getAttribute("href");
  expect(href).toMatch(/^\/inventory\/[^/?]+$/);
  return href!;
}

/** A demo finding's page (the payments repository's CI bot), found by a security lead, who sees every repository. */
let findingPath = "";
test.beforeAll(async ({ browser }) => {
  const page = await browser.newPage();
  await signInAs(page, "Sam Lead");
  await page.goto("/discovered?repository=acme/payments-api&detector=ci-workflow");
  findingPath = (await page.getByRole("link", { name: /claude-code-action runs on pull requests/ }).getAttribute("href"))!;
  expect(findingPath).toMatch(/^\/discovered\/[^/?]+$/);
  await page.close();
});

for (const role of ROLES) {
  test(`${role} opens every page without a server error, and gets a 403 page where their roles do not reach`, async ({ page }) => {
    test.setTimeout(120_000);
    const pageErrors: string[] = [];
    page.on("pageerror", (error) => pageErrors.push(`${page.url()}: ${error.message}`));
    const serverErrors: string[] = [];
    page.on("response", (response) => {
      if (response.status() >= 500) serverErrors.push(`${response.status()} ${response.url()}`);
    });

    await signInAs(page, role);
    const ids = { renovate: await identityPath(page, "renovate-bot"), release: await identityPath(page, "claude-code-release-agent") };
    await page.goto("/templates");
    const template = (await page.getByRole("link", { name: "Claude Code, dev", exact: true }).getAttribute("href"))!;
    expect(template).toMatch(/^\/templates\/[^/?]+$/);

    for (const entry of PAGES) {
      const path = entry.path
        .replace("/inventory/{renovate}", ids.renovate)
        .replace("/inventory/{release}", ids.release)
        .replace("/templates/{template}", template)
        .replace("{templateId}", template.split("/")[2]!)
        .replace("/discovered/{finding}", findingPath);
      const forbidden = entry.forbiddenFor?.includes(role) ?? false;
      const response = await page.goto(path);
      const expected = forbidden ? 403 : entry.notFoundFor?.includes(role) ? 404 : (entry.status ?? 200);
      expect(response?.status(), `${role} ${path}`).toBe(expected);
      const notAllowed = page.getByRole("heading", { name: "You may not open this page" });
      if (forbidden) {
        await expect(notAllowed, `${role} ${path}`).toBeVisible();
        // The shell stays: the person can go elsewhere.
        await expect(page.getByRole("navigation", { name: "Main" })).toBeVisible();
      } else {
        await expect(notAllowed, `${role} ${path}`).toHaveCount(0);
      }
    }

    // The browser's own requests behind the pages (owner type-ahead, CSV export).
    for (const path of ["/people?q=o", "/people?q=o&assignable=1", "/inventory/export?status=ACTIVE"]) {
      const response = await page.request.get(path);
      expect(response.status(), `${role} ${path}`).toBe(200);
    }

    expect(serverErrors).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
}

test("the navigation offers only the pages each role may open", async ({ page }) => {
  const everyone = [
    "Dashboard",
    "Inventory",
    "Discovered",
    "Templates",
    "My tasks",
    "Campaigns",
    "Approvals",
    "Policies",
    "Decisions",
    "Activity",
    "Controls",
    "Admin",
  ];
  // Evidence packages are exported by the people they are for: security leads and auditors.
  const exporters: Role[] = ["Sam Lead", "Audrey Auditor"];
  for (const role of ROLES) {
    await signInAs(page, role);
    const nav = page.getByRole("navigation", { name: "Main" });
    for (const label of everyone) await expect(nav.getByRole("link", { name: label, exact: true }), `${role} ${label}`).toBeVisible();
    await expect(nav.getByRole("link", { name: "Audit log", exact: true }), role).toHaveCount(MEMBERS_WITHOUT_AUDIT.includes(role) ? 0 : 1);
    await expect(nav.getByRole("link", { name: "Evidence", exact: true }), role).toHaveCount(exporters.includes(role) ? 1 : 0);
    // Discovered comes right after Inventory; its count (open findings the person may see) is beside the name, not in it.
    await expect(
      nav
        .getByRole("listitem")
        .filter({ has: page.getByRole("link", { name: "Inventory", exact: true }) })
        .locator("xpath=following-sibling::li[1]"),
    ).toContainText("Discovered");
    // Alex's team (Platform) has no scanned repository; Olivia's (Payments) has the demo's.
    if (role === "Alex Approver") await expect(nav.getByTestId("nav-count-discovered"), role).toHaveCount(0);
    if (role === "Olivia Owner" || role === "Sam Lead")
      await expect(nav.getByTestId("nav-count-discovered"), role).toHaveText(/^[1-9]\d*$/);
    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page).toHaveURL(/\/sign-in/);
  }
});
