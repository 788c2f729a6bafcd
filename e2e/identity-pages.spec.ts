import { expect, test, type Page } from "@playwright/test";
import { dayFromNow, signInAs } from "./fixtures";

// The identity page and the inventory's forms, as owners and auditors use them.

async function registerIdentity(page: Page, identity: { name: string; kind: string; environment: string; autonomy?: string }) {
  await page.goto("/inventory/new");
  const form = page.getByRole("form", { name: "Register an identity" });
  await form.getByLabel("Name", { exact: true }).fill(identity.name);
  await form.getByLabel("Kind", { exact: true }).selectOption({ label: identity.kind });
  await form.getByLabel("Vendor", { exact: true }).fill("Anthropic");
  await form.getByLabel("Product", { exact: true }).fill("Claude Code");
  await form.getByLabel("Model", { exact: true }).fill("claude-opus");
  await form.getByLabel("Purpose", { exact: true }).fill("Prepares release branches and changelogs");
  await form.getByLabel("Environment", { exact: true }).selectOption({ label: identity.environment });
  if (identity.autonomy) await form.getByLabel("Autonomy", { exact: true }).selectOption({ label: identity.autonomy });
  await form.getByLabel("Expiry date", { exact: true }).fill(dayFromNow(60));
  await form.getByRole("button", { name: "Register identity" }).click();
  await expect(page.getByRole("heading", { level: 1, name: identity.name })).toBeVisible();
  await expect(page).toHaveURL(/\/inventory\/[^/]+$/);
}

/** Nothing on the page can change anything: the only button is Sign out, in the only form. */
async function expectNothingToChange(page: Page) {
  await expect(page.getByRole("button")).toHaveText(["Sign out"]);
  await expect(page.locator("form")).toHaveCount(1);
  for (const role of ["textbox", "combobox", "checkbox", "spinbutton", "radio"] as const) {
    await expect(page.getByRole(role)).toHaveCount(0);
  }
  await expect(page.getByRole("link", { name: "Register identity" })).toHaveCount(0);
  await expect(page.getByRole("link", { name: "Edit", exact: true })).toHaveCount(0);
}

test.describe.serial("an identity's page", () => {
  let identityUrl = "";

  test("an owner registers a coding agent, gives it a grant and a credential, and sees its risk with reasons and its timeline", async ({
    page,
  }) => {
    await signInAs(page, "Olivia Owner");
    await page.goto("/inventory/new");
    const form = page.getByRole("form", { name: "Register an identity" });
    // Members register what they own: the owner is the signed-in person.
    await expect(form.getByTestId("fixed-owner")).toHaveText("Olivia Owner <olivia.owner@example.com>");
    await form.getByRole("button", { name: "Register identity" }).click();
    await expect(form.getByRole("alert")).toContainText("Some fields are not valid");
    await expect(form.getByText("name: is required", { exact: true })).toBeVisible();
    await expect(form.getByText("purpose: is required", { exact: true })).toBeVisible();
    await expect(form.getByText(/^expiresAt: must be a date/)).toBeVisible();

    await registerIdentity(page, { name: "e2e-release-agent", kind: "Coding agent", environment: "Prod", autonomy: "Draft" });
    identityUrl = page.url();
    await expect(page).toHaveTitle(/e2e-release-agent/);
    await expect(page.getByTestId("identity-owner")).toContainText("Olivia Owner olivia.owner@example.com");
    await expect(page.getByTestId("identity-status")).toHaveText("Active");
    await expect(page.getByTestId("risk-tier")).toHaveText("Low risk");

    // Deploy on production waits for approval (e2e/approvals.spec.ts follows one through); read on a dev repository does not.
    const grant = page.getByRole("form", { name: "Add a grant" });
    await grant.getByLabel("System", { exact: true }).selectOption({ label: "k8s-prod (prod, restricted)" });
    await grant.getByLabel("Permission", { exact: true }).selectOption({ label: "Deploy" });
    await grant.getByLabel("Justification", { exact: true }).fill("Release branches ship to production");
    await grant.getByRole("button", { name: "Add grant" }).click();
    await expect(grant.getByRole("status")).toContainText("Sent for approval: Grant DEPLOY on k8s-prod (PROD) to e2e-release-agent.");
    await expect(page.getByRole("table", { name: "Grants" }).getByRole("row", { name: /k8s-prod/ })).toHaveCount(0);
    await grant.getByLabel("System", { exact: true }).selectOption({ label: "github.com/acme/web (dev, internal)" });
    await grant.getByLabel("Permission", { exact: true }).selectOption({ label: "Read" });
    await grant.getByRole("button", { name: "Add grant" }).click();
    await expect(grant.getByRole("status")).toHaveText("Granted read.");
    const grantRow = page.getByRole("table", { name: "Grants" }).getByRole("row", { name: /acme\/web/ });
    await expect(grantRow).toContainText("Internal");
    await expect(grantRow).toContainText("Read");
    await expect(grantRow).toContainText("Standing");

    const credential = page.getByRole("form", { name: "Record a credential" });
    await credential.getByLabel("Type", { exact: true }).selectOption({ label: "Personal access token" });
    await credential.getByLabel("Label", { exact: true }).fill("release PAT");
    await credential.getByLabel("Fingerprint", { exact: true }).fill("SHA256:e2e0release");
    await credential.getByLabel("Issued", { exact: true }).fill(dayFromNow(0));
    await credential.getByLabel("Expires", { exact: true }).fill(dayFromNow(30));
    await credential.getByLabel("Rotation period (days)", { exact: true }).fill("30");
    await credential.getByLabel("Vault path", { exact: true }).fill("secret/agents/e2e-release");
    await credential.getByRole("button", { name: "Record credential" }).click();
    await expect(credential.getByRole("status")).toHaveText("Recorded release PAT.");
    const credentialRow = page.getByRole("table", { name: "Credentials" }).getByTestId("credential-row").filter({ hasText: "release PAT" });
    await expect(credentialRow).toContainText("SHA256:e2e0release");
    await expect(credentialRow).toContainText("secret/agents/e2e-release");
    await expect(credentialRow).toContainText("30 days");

    await expect(page.getByTestId("risk-tier")).toHaveText("Low risk");

    const timeline = page.getByTestId("timeline-event");
    await expect(timeline).toHaveCount(4);
    await expect(timeline.nth(0)).toContainText("Recorded Personal access token “release PAT” (fingerprint SHA256:e2e0release)");
    await expect(timeline.nth(1)).toContainText("Granted read on github.com/acme/web (standing)");
    await expect(timeline.nth(2)).toContainText(
      "Approval requested: Grant DEPLOY on k8s-prod (PROD) to e2e-release-agent. Why: Release branches ship to production; risk would be",
    );
    await expect(timeline.nth(3)).toContainText("Registered coding agent in prod, owner Olivia Owner <olivia.owner@example.com>");
    await expect(timeline.nth(3)).toContainText("olivia.owner@example.com (user) · identity.created");
  });

  test("an auditor reads the same identity and the systems page and is offered no way to change anything", async ({ page }) => {
    expect(identityUrl).not.toBe("");
    await signInAs(page, "Audrey Auditor");
    await page.goto(identityUrl);
    await expect(page.getByRole("heading", { level: 1, name: "e2e-release-agent" })).toBeVisible();
    await expect(page.getByTestId("risk-tier")).toHaveText("Low risk");
    await expect(page.getByRole("table", { name: "Grants" })).toContainText("github.com/acme/web");
    await expect(page.getByRole("table", { name: "Credentials" })).toContainText("release PAT");
    await expect(page.getByTestId("timeline-event")).toHaveCount(4);
    await expectNothingToChange(page);

    await page.getByRole("link", { name: "Systems" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Systems" })).toBeVisible();
    await expect(page.getByRole("table", { name: "Systems" }).getByRole("row", { name: /k8s-prod/ })).toContainText("Restricted");
    await expectNothingToChange(page);

    // Going straight to the forms' addresses answers 403 and offers nothing either.
    for (const path of [`${identityUrl}/edit`, "/inventory/new", "/inventory/import"]) {
      expect((await page.goto(path))?.status(), path).toBe(403);
      await expect(page.getByRole("heading", { name: "You may not open this page" })).toBeVisible();
      await expectNothingToChange(page);
    }

    const missing = await page.goto("/inventory/no-such-identity");
    expect(missing?.status()).toBe(404);
    await expect(page.getByRole("heading", { name: "No such identity" })).toBeVisible();
  });

  test("a security lead reassigns the owner on the edit page and re-rates a system", async ({ page }) => {
    // Two pages, two forms and a systems page: past the default 30 s when the two cores are busy.
    test.setTimeout(90_000);
    expect(identityUrl).not.toBe("");
    await signInAs(page, "Sam Lead");
    await page.goto(identityUrl);
    await page.getByRole("link", { name: "Edit", exact: true }).click();
    const form = page.getByRole("form", { name: "Edit identity" });
    await expect(form.getByLabel("Owner", { exact: true })).toHaveValue(/.+/);
    await form.getByLabel("Owner", { exact: true }).selectOption({ label: "Omar Owner <omar.owner@example.com>" });
    await form.getByLabel("Backup owner", { exact: true }).selectOption({ label: "Olivia Owner <olivia.owner@example.com>" });
    await form.getByRole("button", { name: "Save changes" }).click();
    await expect(page).toHaveURL(identityUrl);
    await expect(page.getByTestId("identity-owner")).toContainText("Omar Owner omar.owner@example.com");
    await expect(page.getByTestId("identity-backup-owner")).toContainText("Olivia Owner olivia.owner@example.com");
    // A new owner opens a review for them to take it over (lib/reviews/change.ts), recorded after the reassignment.
    await expect(page.getByTestId("timeline-event").nth(0)).toContainText("Review opened by a change");
    await expect(page.getByTestId("timeline-event").nth(1)).toContainText(
      "Owner reassigned from Olivia Owner <olivia.owner@example.com> to Omar Owner <omar.owner@example.com>; also changed backup owner → Olivia Owner <olivia.owner@example.com>",
    );
    await expect(page.getByTestId("handover-notice")).toContainText("Handed over by Olivia Owner");

    await page.goto("/inventory/systems");
    const register = page.getByRole("form", { name: "Register a system" });
    await register.getByLabel("Name", { exact: true }).fill("e2e-warehouse");
    await register.getByLabel("Kind", { exact: true }).selectOption({ label: "Database" });
    await register.getByLabel("Environment", { exact: true }).selectOption({ label: "Prod" });
    await register.getByLabel("Sensitivity", { exact: true }).selectOption({ label: "Internal" });
    await register.getByRole("button", { name: "Register system" }).click();
    await expect(register.getByRole("status")).toHaveText("Registered e2e-warehouse.");
    const row = page.getByTestId("system-row").filter({ hasText: "e2e-warehouse" });
    await expect(row).toContainText("Internal");
    await row.getByRole("link", { name: "Edit e2e-warehouse (prod)" }).click();
    const edit = page.getByRole("form", { name: "Edit e2e-warehouse (prod)" });
    await edit.getByLabel("Sensitivity", { exact: true }).selectOption({ label: "Restricted" });
    await edit.getByRole("button", { name: "Save system" }).click();
    await expect(edit.getByRole("status")).toHaveText("Saved e2e-warehouse.");
    await expect(page.getByTestId("system-row").filter({ hasText: "e2e-warehouse" })).toContainText("Restricted");
  });
});

test("a GitHub token pasted as a credential's label is refused with the field named, and is not shown back", async ({ page }) => {
  // Built at run time so no token-shaped literal sits in the repository for scanners to flag.
  const token = `ghp_${"Zq7Xw2Lk9P".repeat(4)}`;
  await signInAs(page, "Omar Owner");
  await registerIdentity(page, { name: "e2e-paste-check", kind: "MCP server", environment: "Dev" });

  const form = page.getByRole("form", { name: "Record a credential" });
  await form.getByLabel("Type", { exact: true }).selectOption({ label: "Personal access token" });
  await form.getByLabel("Label", { exact: true }).fill(token);
  await form.getByLabel("Fingerprint", { exact: true }).fill("SHA256:e2e0paste");
  await form.getByLabel("Issued", { exact: true }).fill(dayFromNow(0));
  await form.getByRole("button", { name: "Record credential" }).click();

  await expect(form.getByRole("alert")).toContainText("label: looks like a GitHub token");
  await expect(form.getByText(/^label: looks like a GitHub token\. Warrant never stores secrets/)).toBeVisible();
  await expect(form.getByLabel("Label", { exact: true })).toHaveValue("");
  await expect(form.getByLabel("Label", { exact: true })).toHaveAttribute("aria-invalid", "true");
  // What was not secret is kept, so only the offending field needs retyping.
  await expect(form.getByLabel("Fingerprint", { exact: true })).toHaveValue("SHA256:e2e0paste");
  await expect(page.getByRole("table", { name: "Credentials" })).toHaveCount(0);
  expect(await page.content()).not.toContain(token);

  await page.reload();
  await expect(page.getByText("No credentials recorded.")).toBeVisible();
  await expect(page.getByTestId("timeline-event")).toHaveCount(1);

  // Recorded properly, it can then be rotated and revoked, and the identity suspended with a reason.
  await form.getByLabel("Type", { exact: true }).selectOption({ label: "Personal access token" });
  await form.getByLabel("Label", { exact: true }).fill("mcp PAT");
  await form.getByLabel("Fingerprint", { exact: true }).fill("SHA256:e2e0paste");
  await form.getByLabel("Issued", { exact: true }).fill(dayFromNow(0));
  // A credential that never expires needs approval; this one lives a month.
  await form.getByLabel("Expires", { exact: true }).fill(dayFromNow(30));
  await form.getByRole("button", { name: "Record credential" }).click();
  await expect(form.getByRole("status")).toHaveText("Recorded mcp PAT.");
  const rotate = page.getByRole("form", { name: "Rotate mcp PAT" });
  await rotate.getByLabel("New fingerprint", { exact: true }).fill("SHA256:e2e0paste");
  await rotate.getByLabel("New expiry", { exact: true }).fill(dayFromNow(30));
  await rotate.getByRole("button", { name: "Rotate" }).click();
  await expect(rotate.getByText("fingerprint: must differ from the current fingerprint", { exact: true })).toBeVisible();
  await rotate.getByLabel("New fingerprint", { exact: true }).fill("SHA256:e2e0rotated");
  await rotate.getByLabel("New expiry", { exact: true }).fill(dayFromNow(30));
  await rotate.getByRole("button", { name: "Rotate" }).click();
  const row = page.getByTestId("credential-row").filter({ hasText: "mcp PAT" });
  await expect(row).toContainText("SHA256:e2e0rotated");
  await page.getByRole("form", { name: "Revoke mcp PAT" }).getByRole("button", { name: "Revoke" }).click();
  await expect(row).toContainText("Revoked");

  const status = page.getByRole("form", { name: "Change status" });
  await status.getByLabel("Reason", { exact: true }).fill("moving to a JIT flow");
  await status.getByRole("button", { name: "Suspend" }).click();
  await expect(page.getByTestId("identity-status")).toHaveText("Suspended");
  // Members cannot reactivate; the button is not offered to them.
  await expect(status.getByRole("button")).toHaveText(["Retire"]);
  await expect(page.getByTestId("timeline-event").first()).toContainText("Status active → suspended. Reason: moving to a JIT flow");
  await expect(page.getByTestId("timeline-event").nth(1)).toContainText("Revoked credential “mcp PAT”");
  await expect(page.getByTestId("timeline-event").nth(2)).toContainText(
    "Rotated a credential: fingerprint SHA256:e2e0paste → SHA256:e2e0rotated",
  );
});

test("a system a member registers counts as restricted until a security lead confirms the sensitivity they proposed", async ({ page }) => {
  await signInAs(page, "Omar Owner");
  await page.goto("/inventory/systems");
  const register = page.getByRole("form", { name: "Register a system" });
  await register.getByLabel("Name", { exact: true }).fill("e2e-proposed-cache");
  await register.getByLabel("Kind", { exact: true }).selectOption({ label: "Database" });
  await register.getByLabel("Environment", { exact: true }).selectOption({ label: "Prod" });
  await register.getByLabel("Sensitivity", { exact: true }).selectOption({ label: "Public" });
  await register.getByRole("button", { name: "Register system" }).click();
  await expect(register.getByRole("status")).toHaveText(
    "Registered e2e-proposed-cache. It counts as restricted until a security lead confirms its sensitivity.",
  );
  const row = () => page.getByTestId("system-row").filter({ hasText: "e2e-proposed-cache" });
  await expect(row()).toContainText("Restricted");
  await expect(row().getByTestId("awaiting-confirmation")).toHaveText("Awaiting confirmation: proposed public");
  await expect(row().getByRole("button", { name: "Confirm" })).toHaveCount(0);
  await page.getByRole("button", { name: "Sign out" }).click();

  await signInAs(page, "Sam Lead");
  await page.goto("/tasks");
  await expect(page.getByRole("list", { name: "Systems awaiting confirmation" })).toContainText("e2e-proposed-cache");
  await page.getByRole("link", { name: "Confirm on the systems page →" }).click();
  const confirm = row().getByRole("form", { name: "Confirm the sensitivity of e2e-proposed-cache (prod)" });
  await expect(confirm.getByLabel("Sensitivity", { exact: true })).toHaveValue("PUBLIC");
  await confirm.getByLabel("Sensitivity", { exact: true }).selectOption({ label: "Internal" });
  await confirm.getByRole("button", { name: "Confirm" }).click();
  await expect(row()).toContainText("Internal");
  await expect(row().getByTestId("awaiting-confirmation")).toHaveCount(0);
});

test("an identity page for an id no record can have answers 404, not 500", async ({ page }) => {
  await signInAs(page, "Ada Admin");
  for (const path of ["/inventory/%00", "/inventory/abc%00def/edit", "/inventory/no-such-identity"]) {
    const response = await page.goto(path);
    expect(response?.status(), path).toBe(404);
  }
});
