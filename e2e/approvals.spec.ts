import { expect, test, type Page } from "@playwright/test";
import { signInAs } from "./fixtures";

// The approvals journey in the browser, as the issue describes it: an owner
// asks for deploy on a production system, a security lead approves level 1,
// the system's owner approves level 2, the grant appears on the identity page
// and the timeline tells the whole story; an auditor sees it all and can
// decide nothing.

async function openIdentity(page: Page, name: string) {
  await page.goto(`/inventory?q=${name}`);
  await page.getByRole("link", { name, exact: true }).first().click();
  await expect(page.getByRole("heading", { name, level: 1 })).toBeVisible();
}

async function openRequest(page: Page, summary: string) {
  await page.goto("/approvals?view=waiting");
  await page.getByRole("link", { name: summary }).click();
  await expect(page.getByRole("heading", { name: summary, level: 1 })).toBeVisible();
}

test("a deploy grant on production waits for a security lead and the system's owner, then appears once", async ({ browser }) => {
  test.setTimeout(180_000);
  const summary = "Grant DEPLOY on k8s-prod (PROD) to copilot-payments-ide";

  // The owner asks.
  const owner = await browser.newPage();
  await signInAs(owner, "Olivia Owner");
  await openIdentity(owner, "copilot-payments-ide");
  const form = owner.getByRole("form", { name: "Add a grant" });
  await form.getByLabel("System", { exact: true }).selectOption({ label: "k8s-prod (prod, restricted)" });
  await form.getByLabel("Permission", { exact: true }).selectOption({ label: "Deploy" });
  await form.getByRole("button", { name: "Add grant" }).click();
  // Without a reason the form says what is missing, and nothing is asked yet.
  await expect(form.getByText(/^justification: is required: this change needs approval/)).toBeVisible();
  await form.getByLabel("System", { exact: true }).selectOption({ label: "k8s-prod (prod, restricted)" });
  await form.getByLabel("Permission", { exact: true }).selectOption({ label: "Deploy" });
  await form.getByLabel("Justification", { exact: true }).fill("Deploy preview builds of the payments UI");
  await form.getByRole("button", { name: "Add grant" }).click();
  await expect(form.getByRole("status")).toContainText(`Sent for approval: ${summary}. Nothing has changed yet`);
  await expect(owner.getByRole("table", { name: "Grants" }).getByRole("row", { name: /k8s-prod/ })).toHaveCount(0);
  await form.getByRole("link", { name: "Open the request" }).click();
  await expect(owner.getByRole("heading", { name: summary, level: 1 })).toBeVisible();
  await expect(owner.getByTestId("approval-status")).toContainText("Pending");
  await expect(owner.getByRole("button", { name: "Approve" })).toHaveCount(0);
  await expect(owner.getByText("You cannot decide this request: Nobody decides their own request.")).toBeVisible();

  // The system's owner is not first.
  const systemOwner = await browser.newPage();
  await signInAs(systemOwner, "Alex Approver");
  await systemOwner.goto(owner.url().replace(/^https?:\/\/[^/]+/, ""));
  await expect(systemOwner.getByRole("button", { name: "Approve" })).toHaveCount(0);
  await expect(systemOwner.getByText(/waits for level 1 \(Security lead\)/)).toBeVisible();

  // Level 1: a security lead, who sees it counted in the header and in My tasks.
  const lead = await browser.newPage();
  await signInAs(lead, "Sam Lead");
  await expect(lead.getByTestId("approvals-waiting")).toContainText("waiting for you");
  await lead.goto("/tasks");
  await expect(lead.getByRole("list", { name: "Approvals waiting for you" }).getByRole("link", { name: summary })).toBeVisible();
  await openRequest(lead, summary);
  await expect(lead.getByText("Deploy preview builds of the payments UI")).toBeVisible();
  await expect(lead.getByRole("list", { name: "Changes" })).toContainText("Grant created");
  const decision = lead.getByRole("form", { name: "Decide this request" });
  await decision.getByLabel("Comment", { exact: true }).fill("Preview namespace only, please");
  await decision.getByRole("button", { name: "Approve" }).click();
  // The page now shows the decision, and offers the lead nothing more to decide.
  await expect(lead.getByRole("listitem", { name: "Level 1: Security lead" })).toContainText("1 of 1");
  await expect(lead.getByRole("listitem", { name: "Level 1: Security lead" })).toContainText("Sam Lead");
  await expect(lead.getByText("You cannot decide this request: You have already decided this request.")).toBeVisible();

  // Level 2: the owner of k8s-prod applies it.
  await openRequest(systemOwner, summary);
  await systemOwner.getByRole("form", { name: "Decide this request" }).getByRole("button", { name: "Approve" }).click();
  await expect(systemOwner.getByTestId("approval-status")).toContainText("Applied");
  await expect(systemOwner.getByRole("form", { name: "Decide this request" })).toHaveCount(0);

  // The grant is there, once, and the timeline tells the story.
  await openIdentity(owner, "copilot-payments-ide");
  await expect(owner.getByRole("table", { name: "Grants" }).getByRole("row", { name: /k8s-prod/ })).toHaveCount(1);
  const timeline = owner.getByTestId("timeline-event");
  await expect(timeline.nth(0)).toContainText(`Every level approved “${summary}”: applied`);
  // The applied grant opens a review of the identity with it (lib/reviews/change.ts).
  await expect(timeline.nth(1)).toContainText("Review opened by a change");
  await expect(timeline.nth(1)).toContainText("deploy on k8s-prod (prod) granted");
  await expect(timeline.nth(2)).toContainText("Granted deploy on k8s-prod (standing)");
  await expect(timeline.nth(2)).toContainText("(approved, request");
  await expect(timeline.nth(3)).toContainText("Approved level 2 (System owner)");
  await expect(timeline.nth(4)).toContainText("Approved level 1 (Security lead)");
  await expect(timeline.nth(4)).toContainText("Preview namespace only, please");
  await expect(timeline.nth(5)).toContainText(`Approval requested: ${summary}. Why: Deploy preview builds of the payments UI`);

  // The auditor sees everything and can decide nothing.
  const auditor = await browser.newPage();
  await signInAs(auditor, "Audrey Auditor");
  await auditor.goto("/approvals?view=history");
  await auditor.getByRole("link", { name: summary }).click();
  await expect(auditor.getByTestId("approval-status")).toContainText("Applied");
  await expect(auditor.getByRole("listitem", { name: "Level 1: Security lead" })).toContainText("Sam Lead");
  await expect(auditor.getByRole("listitem", { name: "Level 2: System owner" })).toContainText("Alex Approver");
  await expect(auditor.getByRole("button", { name: "Approve" })).toHaveCount(0);
  await expect(auditor.getByRole("button", { name: /break-glass/ })).toHaveCount(0);
  await auditor.goto("/approvals?view=waiting");
  await expect(auditor.getByText("Nothing waits for your decision.")).toBeVisible();

  // The auditor narrows the history to one system, sorts it, and keeps the search across views.
  await auditor.getByRole("navigation", { name: "Approval views" }).getByRole("link", { name: "History" }).click();
  const history = auditor.getByRole("table", { name: "Approval requests: History" });
  await expect(history).toBeVisible();
  const filters = auditor.getByRole("form", { name: "Filters" });
  await filters.getByLabel("Search").fill("k8s-prod");
  await filters.getByRole("button", { name: "Apply filters" }).click();
  await expect(auditor).toHaveURL(/view=history&q=k8s-prod/);
  await expect(history.getByRole("link", { name: summary })).toBeVisible();
  await expect(history.getByRole("link", { name: /github-mcp-server/ })).toHaveCount(0);
  await history.getByRole("button", { name: "Requested by" }).click();
  await expect(auditor).toHaveURL(/sort=requester&dir=asc/);
  await expect(history.getByRole("columnheader", { name: "Requested by" })).toHaveAttribute("aria-sort", "ascending");
  await auditor.getByRole("navigation", { name: "Approval views" }).getByRole("link", { name: "All", exact: true }).click();
  const all = auditor.getByRole("table", { name: "Approval requests: All" });
  await expect(all.getByRole("link", { name: summary })).toBeVisible();
  await expect(all.getByRole("link", { name: /renovate-bot/ })).toBeVisible();
});
