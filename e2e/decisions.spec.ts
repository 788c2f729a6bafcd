import { expect, test } from "@playwright/test";
import { signInAs } from "./fixtures";

// The Decisions log in the browser (the demo's agents' recorded decisions),
// an identity's recent decisions, and a new policy version replayed against
// them before anyone enables it.

test("a member reads the Decisions log, filters it, opens one decision and an identity's recent ones", async ({ page }) => {
  await signInAs(page, "Olivia Owner");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Decisions" }).click();
  await expect(page.getByRole("heading", { name: "Decisions", level: 1 })).toBeVisible();
  const table = page.getByRole("table", { name: "Runtime decisions" });
  await expect(table.getByRole("row")).toHaveCount(13); // the header and the demo's 12 decisions

  const filters = page.getByRole("form", { name: "Filters" });
  await filters.getByLabel("Outcome").selectOption("require_approval");
  await filters.getByRole("button", { name: "Apply filters" }).click();
  await expect(page).toHaveURL(/outcome=require_approval/);
  const rows = table.getByRole("row").filter({ hasNot: page.getByRole("columnheader") });
  await expect(rows).toHaveCount(2);
  for (const row of await rows.all()) await expect(row).toContainText("Require approval");
  await expect(table).toContainText("destructive-shell-needs-approval");

  await filters.getByLabel("Search").fill("checkout");
  await filters.getByRole("button", { name: "Apply filters" }).click();
  await expect(rows).toHaveCount(1);
  await rows
    .first()
    .getByRole("link", { name: /^Decision / })
    .click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("cursor-web-team: Tool call on tool Bash");
  await expect(page.getByTestId("decision-outcome")).toContainText("Require approval");
  await expect(page.getByText("Fix the failing checkout test", { exact: true })).toBeVisible();
  await expect(page.locator("dd", { hasText: /^[0-9a-f]{64}$/ })).toHaveCount(1);
  await expect(page.getByText('"command": "git push --force origin main"')).toBeVisible();

  await page.getByRole("link", { name: "cursor-web-team" }).click();
  const recent = page.getByRole("table", { name: "Recent decisions" });
  await expect(recent.getByRole("row")).toHaveCount(6);
  await page.getByRole("link", { name: "All decisions of this identity" }).click();
  await expect(page.getByText("Only the decisions of cursor-web-team")).toBeVisible();
  await expect(table.getByRole("row")).toHaveCount(6);
});

test("a security lead replays a new version against the recorded decisions before asking to enable it", async ({ page }) => {
  await signInAs(page, "Sam Lead");
  await page.goto("/policies");
  const editor = page.getByRole("form", { name: "Write a new policy version" });
  const text = editor.getByLabel("Policies (Cedar)");
  await expect(text).toHaveValue(/@id\("baseline"\)/);
  const extra =
    '\n@id("no-agent-edits")\n@reason("Agents propose edits; people make them.")\nforbid (principal, action == Action::"call_tool", resource == Tool::"Edit");\n';
  await text.fill((await text.inputValue()) + extra);
  await editor.getByLabel("What changed and why").fill("No edits by agents");
  await editor.getByRole("button", { name: "Save as a new version" }).click();
  await expect(editor.getByRole("status")).toContainText(/Stored version \d+/);

  await page
    .locator('[data-testid^="policy-version-"]', { hasText: "No edits by agents" })
    .getByRole("link", { name: /^Version \d+$/ })
    .click();
  const replay = page.getByTestId("replay");
  await expect(replay.getByTestId("replay-summary")).toContainText("Replayed 12 recorded decisions");
  await expect(replay.getByTestId("replay-summary")).toContainText("1 would change");
  await expect(replay.getByTestId("replay-summary")).toContainText("allow → deny: 1");
  const changed = replay
    .getByRole("table", { name: /would change/ })
    .getByRole("row")
    .filter({ hasText: "cursor-web-team" });
  await expect(changed).toHaveCount(1);
  await expect(changed).toContainText("Edit");
  await expect(changed).toContainText("no-agent-edits");
  await expect(changed).toContainText("Agents propose edits; people make them.");

  // The approvers of its activation see the same replay on the request.
  const versionNumber = (await page.getByRole("heading", { name: /What version \d+ would change/ }).textContent())!.match(/\d+/)![0];
  const activate = page.getByRole("form", { name: `Activate version ${versionNumber}` });
  await activate.getByLabel("Justification").fill("Agents should not edit files directly");
  await activate.getByRole("button", { name: "Activate" }).click();
  await expect(activate.getByRole("status")).toContainText("Sent for approval");
  await page.goto("/approvals?view=mine");
  await page.getByRole("link", { name: `Activate runtime policies version ${versionNumber}` }).click();
  await expect(page.getByTestId("replay-summary")).toContainText("1 would change");
  await expect(page.getByRole("table", { name: /would change/ })).toContainText("no-agent-edits");

  await page.getByRole("link", { name: `Version ${versionNumber} on the Policies page` }).click();
  await replay.getByLabel(/Replay the last/).selectOption("1");
  await replay.getByRole("button", { name: "Replay" }).click();
  await expect(page).toHaveURL(/days=1/);
  await expect(replay.getByTestId("replay-summary")).toContainText("none would change");
});
