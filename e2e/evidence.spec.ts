import { execFile } from "node:child_process";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { expect, test } from "@playwright/test";
import { signInAs } from "./fixtures";

// The journey: an auditor builds an evidence package for last quarter
// in the browser, watches it build, downloads it, and checks it offline with
// the CLI against the keys Warrant publishes.

const run = promisify(execFile);

test("an auditor builds a package for last quarter, downloads it, and the CLI verifies it offline", async ({ page }) => {
  // The worker builds the package in the background: allow for a busy machine.
  test.setTimeout(120_000);
  await signInAs(page, "Audrey Auditor");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Evidence", exact: true }).click();
  const form = page.getByRole("form", { name: "Build an evidence package" });
  // The form starts on the last full quarter, with the frameworks the guidance names.
  const from = await form.getByLabel("From", { exact: true }).inputValue();
  const to = await form.getByLabel("To (not included)", { exact: true }).inputValue();
  expect(from).toMatch(/^\d{4}-(01|04|07|10)-01$/);
  expect(to).toMatch(/^\d{4}-(01|04|07|10)-01$/);
  await expect(form.getByRole("checkbox", { name: "OWASP Top 10 for Agentic Applications 2026" })).toBeChecked();
  await form.getByRole("button", { name: "Build package" }).click();
  await expect(form.getByRole("status")).toContainText(`Building the package for ${from} to ${to}`);

  const row = page
    .getByTestId("evidence-package")
    .filter({ hasText: `${from} → ${to}` })
    .first();
  await expect(row).toContainText("Audrey Auditor");
  await expect(row).toContainText("Ready", { timeout: 90_000 });
  const downloading = page.waitForEvent("download");
  await row.getByRole("link", { name: /^Download/ }).click();
  const download = await downloading;
  const dir = await mkdtemp(path.join(tmpdir(), "warrant-e2e-evidence-"));
  const zip = path.join(dir, download.suggestedFilename());
  await download.saveAs(zip);
  expect(download.suggestedFilename()).toMatch(new RegExp(`^warrant-evidence-${from}-${to}-\\w+\\.zip$`));

  const keys = await page.request.get("/.well-known/warrant-evidence-keys.json");
  expect(keys.ok()).toBe(true);
  const keysFile = path.join(dir, "warrant-evidence-keys.json");
  await writeFile(keysFile, await keys.body());

  // Offline: no database in the environment at all.
  const { stdout } = await run("npx", ["tsx", "lib/cli/main.ts", "evidence:verify", zip, "--keys", keysFile], {
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", NODE_ENV: "production" },
  });
  expect(stdout).toMatch(/^Evidence package verified: \d+ files/m);
  expect(stdout).toContain(`period ${from}T00:00:00.000Z to ${to}T00:00:00.000Z`);
});

test("security leads can export evidence; approvers and owners cannot open the page", async ({ page }) => {
  await signInAs(page, "Olivia Owner");
  await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Evidence", exact: true })).toHaveCount(0);
  const refused = await page.request.get("/evidence/nothing/download");
  expect(refused.status()).toBe(403);
});
