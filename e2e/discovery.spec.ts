import { execFile } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { expect, test, type Page } from "@playwright/test";
import { APP_URL, signInAs } from "./fixtures";

const run = promisify(execFile);

// A security lead opens the Discovered queue after a scan, registers a
// discovered coding agent with its inferred grants (READ only: registered at
// once, PROPOSED, its footprint on its page), registers a CI bot whose WRITE
// grant goes for approval, and dismisses a false positive. The scan is the
// real scanner (`npm run cli -- scan --submit`) run on a checkout the test
// writes, submitting through the reverse proxy with the lead's API token, in
// a repository of its own, so nothing the other specs count changes.

const REPOSITORY = "acme/e2e-discovery";

/** A checkout with three footprints: Claude Code settings that only read, a CI job with contents: write, an example in the docs. */
const CHECKOUT: Record<string, string> = {
  ".claude/settings.json": '{\n  "permissions": { "allow": ["Read", "Grep"] }\n}\n',
  ".github/workflows/claude.yml": [
    "name: Claude",
    "on: [pull_request]",
    "jobs:",
    "  claude:",
    "    runs-on: ubuntu-latest",
    "    permissions:",
    "      contents: write",
    "    steps:",
    "      - uses: actions/checkout@v4",
    "      - uses: anthropics/claude-code-action@v1",
    "        with:",
    "          anthropic_api_key: ${{ secrets.ANTHROPIC_API_KEY }}",
    "",
  ].join("\n"),
  "docs/CLAUDE.md": "# Example: how to write a CLAUDE.md\n",
  "src/index.ts": "export const answer = 42;\n",
};

const SETTINGS = "Claude Code settings: asks before editing or running commands";
const CI_JOB = 'Claude Code runs unattended in workflow "Claude", job claude';
const DOCS_EXAMPLE = "Instructions for Claude Code (CLAUDE.md)";

/** Runs the real scanner on the checkout and submits its report with the token, as a CI job would. */
async function scanAndSubmit(token: string): Promise<string> {
  const checkout = await mkdtemp(path.join(tmpdir(), "warrant-e2e-checkout-"));
  for (const [file, content] of Object.entries(CHECKOUT)) {
    await mkdir(path.dirname(path.join(checkout, file)), { recursive: true });
    await writeFile(path.join(checkout, file), content);
  }
  try {
    const { stderr } = await run(
      "npm",
      [
        "run",
        "-s",
        "cli",
        "--",
        "scan",
        checkout,
        "--repo-name",
        REPOSITORY,
        "--report",
        path.join(checkout, "..", `${path.basename(checkout)}.json`),
        "--submit",
      ],
      {
        env: { ...process.env, WARRANT_URL: APP_URL, WARRANT_TOKEN: token },
      },
    );
    return stderr;
  } finally {
    await rm(checkout, { recursive: true, force: true });
    await rm(`${checkout}.json`, { force: true });
  }
}

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
  const summary = await scanAndSubmit(secret);
  expect(summary).toContain("3 findings: 1 high, 0 medium, 2 low");
  expect(summary).toMatch(/Submitted: scan \S+ \(3 found: 3 new, 0 seen again, 0 gone/);
  expect(summary).toContain(`${APP_URL}/discovered?repository=${encodeURIComponent(REPOSITORY)}&environment=DEV`);

  // The queue, from the navigation.
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Discovered", exact: true }).click();
  await expect(page.getByRole("heading", { name: "Discovered", level: 1 })).toBeVisible();
  await page.getByRole("form", { name: "Filters" }).getByLabel("Repository").selectOption(REPOSITORY);
  await page.getByRole("button", { name: "Apply filters" }).click();
  await expect(page.getByTestId("page-summary")).toHaveText("Page 1 of 1, 3 findings");
  await expect(queueRow(page, CI_JOB)).toContainText("High");

  // A coding agent whose inferred grant is READ on a dev repository: registered at once.
  await queueRow(page, SETTINGS).getByRole("link").click();
  await expect(page.getByRole("heading", { name: SETTINGS, level: 1 })).toBeVisible();
  await expect(page.getByLabel("Snippet")).toContainText('"allow": ["Read", "Grep"]');
  const register = page.getByRole("form", { name: "Register as a new identity" });
  await expect(register.getByLabel("Name")).toHaveValue(`Claude Code - ${REPOSITORY}`);
  await expect(register.getByLabel("Purpose")).toHaveValue(`Found by a scan of ${REPOSITORY}: ${SETTINGS}`);
  await expect(register.getByRole("checkbox", { name: "Read" })).toBeChecked();
  await expect(register.getByRole("checkbox", { name: "Write" })).not.toBeChecked();
  await register.getByRole("button", { name: "Register identity" }).click();

  await expect(page).toHaveURL(/\/inventory\/[^/]+$/);
  await expect(page.getByRole("heading", { name: `Claude Code - ${REPOSITORY}`, level: 1 })).toBeVisible();
  await expect(page.getByRole("main")).toContainText("Proposed");
  await expect(page.getByRole("table", { name: "Grants" }).getByRole("row").filter({ hasText: REPOSITORY })).toContainText("Read");
  await expect(
    page.getByRole("table", { name: "Footprints" }).getByRole("row").filter({ hasText: ".claude/settings.json:2" }),
  ).toContainText("Registered");
  await expect(page.getByRole("button", { name: "Activate" })).toBeVisible();

  // A CI bot with contents: write: its WRITE grant is privileged, so the registration waits for approval.
  await page.goto(`/discovered?repository=${encodeURIComponent(REPOSITORY)}`);
  await expect(page.getByTestId("page-summary")).toHaveText("Page 1 of 1, 2 findings");
  await queueRow(page, CI_JOB).getByRole("link").click();
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
    page.getByRole("region", { name: "Decision" }).getByRole("link", { name: `Register Claude Code CI claude - ${REPOSITORY}` }),
  ).toBeVisible();

  // A false positive: an example file in the documentation. The queue shows the bot's registration waiting.
  await page.goto(`/discovered?repository=${encodeURIComponent(REPOSITORY)}`);
  await expect(queueRow(page, CI_JOB).getByRole("link", { name: "Registration awaits approval" })).toHaveAttribute(
    "href",
    /^\/approvals\/[^/]+$/,
  );
  await queueRow(page, DOCS_EXAMPLE).getByRole("link").click();
  // It proposes the identity just registered from the settings: the page says so and offers to link it there.
  await expect(page.getByRole("note", { name: "Already in the inventory" })).toContainText(
    `Claude Code - ${REPOSITORY} is already in the inventory in Dev`,
  );
  await expect(
    page.getByRole("form", { name: "Link to an existing identity" }).getByLabel("Identity").locator("option:checked"),
  ).toContainText(`Claude Code - ${REPOSITORY}`);
  const dismiss = page.getByRole("form", { name: "Dismiss this finding" });
  await dismiss.getByLabel("Reason").fill("An example in the docs, not a tool anyone runs");
  await dismiss.getByRole("button", { name: "Dismiss" }).click();
  // Decided: the page shows the decision in place of the forms, and a security lead may take it back.
  const decision = page.getByRole("region", { name: "Decision" });
  await expect(decision).toContainText("An example in the docs, not a tool anyone runs");
  await expect(decision.getByRole("button", { name: "Reopen" })).toBeVisible();
  await expect(page.getByRole("form", { name: "Dismiss this finding" })).toHaveCount(0);

  await page.goto(`/discovered?repository=${encodeURIComponent(REPOSITORY)}`);
  await expect(queueRow(page, DOCS_EXAMPLE)).toHaveCount(0);
  await page.getByRole("navigation", { name: "Finding views" }).getByRole("link", { name: "Dismissed" }).click();
  await expect(queueRow(page, DOCS_EXAMPLE)).toContainText("Dismissed");
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

test("a security lead moves a scanned repository to another team, and its findings go to that team's members", async ({ page }) => {
  const repository = "acme/e2e-moved";
  await signInAs(page, "Sam Lead");
  const secret = await createToken(page);
  // Sent by the lead without a team: the repository is the lead's team's (Security), which no owner is in.
  const submitted = await page.request.post("/api/v1/discovery/scans", {
    headers: { authorization: `Bearer ${secret}` },
    data: {
      scanner: { name: "warrant-scan", version: "0.1.0" },
      repository,
      environment: "DEV",
      startedAt: new Date().toISOString(),
      durationMs: 5,
      filesSeen: 3,
      filesRead: 1,
      findings: [
        {
          detector: "instruction-file",
          severity: "LOW",
          tool: "Claude Code",
          subject: "CLAUDE.md",
          title: "Instructions for Claude Code (CLAUDE.md)",
          file: "CLAUDE.md",
          line: 1,
          snippet: "# How we work",
          proposal: null,
          details: {},
        },
      ],
    },
  });
  expect(submitted.status()).toBe(201);

  await page.goto(`/discovered?repository=${encodeURIComponent(repository)}`);
  await queueRow(page, "Instructions for Claude Code (CLAUDE.md)").getByRole("link").click();
  const section = page.getByRole("region", { name: "Repository" });
  await expect(section.getByTestId("repository-team")).toHaveText("Security");
  const move = section.getByRole("form", { name: "Move the repository to another team" });
  // The team it is in is not offered.
  await expect(move.getByLabel("Move to team").locator("option", { hasText: "Security" })).toHaveCount(0);
  await move.getByLabel("Move to team").selectOption({ label: "Developer Experience" });
  await move.getByLabel("Reason").fill("DX owns the internal tools repositories");
  await move.getByRole("button", { name: "Move" }).click();
  await expect(section.getByRole("status")).toContainText(`Moved ${repository} to Developer Experience`);
  await expect(section.getByTestId("repository-team")).toHaveText("Developer Experience");

  // Omar is in Developer Experience: the finding is in his queue now, and he may not move it on.
  await page.getByRole("button", { name: "Sign out" }).click();
  await signInAs(page, "Omar Owner");
  await page.goto(`/discovered?view=all&repository=${encodeURIComponent(repository)}`);
  await queueRow(page, "Instructions for Claude Code (CLAUDE.md)").getByRole("link").click();
  await expect(page.getByTestId("repository-team")).toHaveText("Developer Experience");
  await expect(page.getByRole("form", { name: "Move the repository to another team" })).toHaveCount(0);
});
