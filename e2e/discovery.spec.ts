import { expect, test, type Page } from "@playwright/test";
import { signInAs } from "./fixtures";

// A security lead opens the Discovered queue after a scan, registers a
// discovered coding agent with its inferred grants (READ only: registered at
// once, PROPOSED, its footprint on its page), registers a CI bot whose WRITE
// grant goes for approval, and dismisses a false positive. The scan is a
// fresh report sent to the API with the lead's token, in a repository of its
// own, so nothing the other specs count changes.

const REPOSITORY = "acme/e2e-discovery";

const REPORT = {
  scanner: { name: "warrant-scan", version: "0.1.0" },
  repository: REPOSITORY,
  environment: "dev",
  startedAt: new Date().toISOString(),
  durationMs: 25,
  filesSeen: 120,
  filesRead: 6,
  findings: [
    {
      detector: "agent-settings",
      severity: "MEDIUM",
      tool: "Claude Code",
      subject: ".claude/settings.json",
      title: "Claude Code settings for the e2e repository",
      file: ".claude/settings.json",
      line: 2,
      snippet: '"permissions": { "allow": ["Read", "Grep"] }',
      proposal: {
        kind: "CODING_AGENT",
        name: "claude-code-e2e-discovery",
        vendor: "Anthropic",
        product: "Claude Code",
        autonomy: "SUGGEST",
        permissions: ["READ"],
        capabilities: [],
      },
      details: { allow: ["Read", "Grep"] },
    },
    {
      detector: "ci-workflow",
      severity: "HIGH",
      tool: "Claude Code GitHub Action",
      subject: "jobs.claude",
      title: "claude-code-action with contents: write in the e2e repository",
      file: ".github/workflows/claude.yml",
      line: 9,
      snippet: "permissions:\n  contents: write\nsteps:\n  - uses: anthropics/claude-code-action@v1",
      proposal: {
        kind: "CI_BOT",
        name: "claude-action-e2e-discovery",
        vendor: "Anthropic",
        product: "Claude Code GitHub Action",
        autonomy: "SUGGEST",
        permissions: ["READ", "WRITE"],
        capabilities: [],
      },
      details: { permissions: { contents: "write" } },
    },
    {
      detector: "instruction-file",
      severity: "LOW",
      tool: "Claude Code",
      subject: "docs/CLAUDE.md",
      title: "An example CLAUDE.md in the documentation",
      file: "docs/CLAUDE.md",
      line: 1,
      snippet: "# Example: how to write a CLAUDE.md",
      proposal: {
        kind: "CODING_AGENT",
        name: "claude-code-docs-example",
        autonomy: "SUGGEST",
        permissions: ["READ"],
        capabilities: [],
      },
      details: {},
    },
  ],
};

async function createToken(page: Page): Promise<string> {
  await page.goto("/admin");
  const form = page.getByRole("form", { name: "Create an API token" });
  await form.getByLabel("Name").fill("discovery scan in CI");
  await form.getByRole("checkbox", { name: "write", exact: true }).check();
  await form.getByRole("button", { name: "Create token" }).click();
  return (await page.getByTestId("new-token-secret").textContent())!;
}

function queueRow(page: Page, title: string) {
  return page
    .getByRole("table", { name: /Discovered findings/ })
    .getByRole("row")
    .filter({ hasText: title });
}

test("a security lead registers a discovered coding agent with its inferred grants, sends a CI bot for approval, and dismisses a false positive", async ({
  page,
}) => {
  test.setTimeout(120_000);
  await signInAs(page, "Sam Lead");
  const secret = await createToken(page);
  const scan = await page.request.post("/api/v1/discovery/scans", { headers: { authorization: `Bearer ${secret}` }, data: REPORT });
  expect(scan.status()).toBe(201);
  expect(await scan.json()).toMatchObject({ counts: { total: 3, new: 3 } });

  // The queue, from the navigation.
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Discovered", exact: true }).click();
  await expect(page.getByRole("heading", { name: "Discovered", level: 1 })).toBeVisible();
  await page.getByRole("form", { name: "Filters" }).getByLabel("Repository").selectOption(REPOSITORY);
  await page.getByRole("button", { name: "Apply filters" }).click();
  await expect(page.getByTestId("page-summary")).toHaveText("Page 1 of 1, 3 findings");
  await expect(queueRow(page, "claude-code-action with contents: write")).toContainText("High");

  // A coding agent whose inferred grant is READ on a dev repository: registered at once.
  await queueRow(page, "Claude Code settings for the e2e repository").getByRole("link").click();
  await expect(page.getByRole("heading", { name: "Claude Code settings for the e2e repository", level: 1 })).toBeVisible();
  await expect(page.getByLabel("Snippet")).toContainText('"allow": ["Read", "Grep"]');
  const register = page.getByRole("form", { name: "Register as a new identity" });
  await expect(register.getByLabel("Name")).toHaveValue("claude-code-e2e-discovery");
  await expect(register.getByLabel("Purpose")).toHaveValue(`Found by a scan of ${REPOSITORY}: Claude Code settings for the e2e repository`);
  await expect(register.getByRole("checkbox", { name: "Read" })).toBeChecked();
  await expect(register.getByRole("checkbox", { name: "Write" })).not.toBeChecked();
  await register.getByRole("button", { name: "Register identity" }).click();

  await expect(page).toHaveURL(/\/inventory\/[^/]+$/);
  await expect(page.getByRole("heading", { name: "claude-code-e2e-discovery", level: 1 })).toBeVisible();
  await expect(page.getByRole("main")).toContainText("Proposed");
  await expect(page.getByRole("table", { name: "Grants" }).getByRole("row").filter({ hasText: REPOSITORY })).toContainText("Read");
  await expect(
    page.getByRole("table", { name: "Footprints" }).getByRole("row").filter({ hasText: ".claude/settings.json:2" }),
  ).toContainText("Registered");
  await expect(page.getByRole("button", { name: "Activate" })).toBeVisible();

  // A CI bot with contents: write: its WRITE grant is privileged, so the registration waits for approval.
  await page.goto(`/discovered?repository=${encodeURIComponent(REPOSITORY)}`);
  await expect(page.getByTestId("page-summary")).toHaveText("Page 1 of 1, 2 findings");
  await queueRow(page, "claude-code-action with contents: write").getByRole("link").click();
  const registerBot = page.getByRole("form", { name: "Register as a new identity" });
  await expect(registerBot.getByRole("checkbox", { name: "Read" })).toBeChecked();
  await expect(registerBot.getByRole("checkbox", { name: "Write" })).toBeChecked();
  await registerBot.getByLabel("Justification").fill("Reviews pull requests in the e2e repository");
  await registerBot.getByRole("button", { name: "Register identity" }).click();
  const sent = registerBot.getByRole("status");
  await expect(sent).toContainText("Sent for approval");
  await expect(sent.getByRole("link", { name: "Open the request" })).toHaveAttribute("href", /^\/approvals\/[^/]+$/);
  await page.reload();
  await expect(
    page.getByRole("region", { name: "Decision" }).getByRole("link", { name: /Register claude-action-e2e-discovery/ }),
  ).toBeVisible();

  // A false positive: an example file in the documentation.
  await page.goto(`/discovered?repository=${encodeURIComponent(REPOSITORY)}`);
  await queueRow(page, "An example CLAUDE.md in the documentation").getByRole("link").click();
  const dismiss = page.getByRole("form", { name: "Dismiss this finding" });
  await dismiss.getByLabel("Reason").fill("An example in the docs, not a tool anyone runs");
  await dismiss.getByRole("button", { name: "Dismiss" }).click();
  // Decided: the page shows the decision in place of the forms, and a security lead may take it back.
  const decision = page.getByRole("region", { name: "Decision" });
  await expect(decision).toContainText("An example in the docs, not a tool anyone runs");
  await expect(decision.getByRole("button", { name: "Reopen" })).toBeVisible();
  await expect(page.getByRole("form", { name: "Dismiss this finding" })).toHaveCount(0);

  await page.goto(`/discovered?repository=${encodeURIComponent(REPOSITORY)}`);
  await expect(queueRow(page, "An example CLAUDE.md in the documentation")).toHaveCount(0);
  await page.getByRole("navigation", { name: "Finding views" }).getByRole("link", { name: "Dismissed" }).click();
  await expect(queueRow(page, "An example CLAUDE.md in the documentation")).toContainText("Dismissed");
});

test("an owner sees their team's repositories in the queue, and a finding of another team's is not found", async ({ page }) => {
  await signInAs(page, "Olivia Owner");
  await page.goto("/discovered?view=all");
  const table = page.getByRole("table", { name: /Discovered findings/ });
  await expect(table.getByRole("row").filter({ hasText: "acme/payments-api" }).first()).toBeVisible();
  await expect(table.getByRole("row").filter({ hasText: REPOSITORY })).toHaveCount(0);
  // Owners register and link; dismissing is a security lead's.
  await table.getByRole("row").filter({ hasText: "MCP server github" }).getByRole("link").first().click();
  await expect(page.getByRole("form", { name: "Register as a new identity" })).toBeVisible();
  await expect(page.getByRole("form", { name: "Dismiss this finding" })).toHaveCount(0);
});
