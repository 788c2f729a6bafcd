import { readFileSync } from "node:fs";
import { expect, test } from "@playwright/test";
import { APP_URL, signInAs } from "./fixtures";

// An agent asks before it acts, as Claude Code does through its hooks: its
// owner issues it an agent token on the identity page; a force push needs
// approval; a security lead approves that exact call in the inbox; the
// agent's retried call is allowed once; the decision and the call that ran
// show on the identity's page.
//
// It adds decisions to the demo's: e2e/decisions.spec.ts counts the demo's own, and runs first (files run in
// name order, one worker).

const IDENTITY = "claude-code-release-agent";
const hookInput = (name: string) =>
  JSON.parse(readFileSync(`lib/policy/fixtures/claude-code/${name}.json`, "utf8")) as Record<string, unknown>;

test("an agent's tool call waits for a security lead's approval, then passes once and shows on the identity page", async ({
  browser,
  request,
}) => {
  test.setTimeout(180_000);
  const command = `git push --force origin release-${Date.now()}`;
  const preToolUse = { ...hookInput("pre-tool-use-bash-force-push"), tool_input: { command, description: "Publish the release branch" } };

  // The owner issues the agent a token, shown once.
  const owner = await browser.newPage();
  await signInAs(owner, "Olivia Owner");
  await owner.goto(`/inventory?q=${IDENTITY}`);
  await owner.getByRole("link", { name: IDENTITY, exact: true }).first().click();
  const issue = owner.getByRole("form", { name: "Issue an agent token" });
  await issue.getByLabel("Label", { exact: true }).fill("release laptop");
  await issue.getByRole("button", { name: "Issue token" }).click();
  await expect(issue.getByRole("status")).toContainText("Issued release laptop. Copy the token now");
  const token = (await issue.getByTestId("new-agent-token").textContent())!.trim();
  expect(token).toMatch(/^wai_/);
  await expect(owner.getByRole("table", { name: "Credentials" })).toContainText("release laptop");

  // Claude Code's PreToolUse hook: denied for now, with the approval request's link.
  const agent = (path: string, body: unknown) =>
    request.post(`${APP_URL}/api/v1/hooks/claude-code/${path}`, { headers: { authorization: `Bearer ${token}` }, data: body });
  const asked = await (await agent("pre-tool-use", preToolUse)).json();
  expect(asked.hookSpecificOutput.permissionDecision).toBe("deny");
  expect(asked.hookSpecificOutput.permissionDecisionReason).toMatch(/Approval requested: http:\/\/127\.0\.0\.3:3100\/approvals\/\w+/);

  // A security lead finds it in the inbox, sees the exact command, and approves.
  const lead = await browser.newPage();
  await signInAs(lead, "Sam Lead");
  await lead.goto("/approvals?view=waiting");
  const summary = `${IDENTITY} asks to Bash: ${command}`;
  await lead.getByRole("link", { name: summary }).click();
  await expect(lead.getByRole("heading", { name: summary, level: 1 })).toBeVisible();
  await expect(lead.getByRole("main")).toContainText(command);
  await lead.getByRole("form", { name: "Decide this request" }).getByRole("button", { name: "Approve" }).click();
  await expect(lead.getByTestId("approval-status")).toContainText("Applied");

  // The agent retries the same call: allowed, once. Then it reports the call that ran.
  const retried = await (await agent("pre-tool-use", { ...preToolUse, tool_use_id: "toolu_e2e_retry" })).json();
  expect(retried.hookSpecificOutput).toMatchObject({ permissionDecision: "allow" });
  const ran = await agent("post-tool-use", {
    ...preToolUse,
    hook_event_name: "PostToolUse",
    tool_use_id: "toolu_e2e_retry",
    tool_response: { stdout: "+ 3f2c1a9...9b8e7d6 release (forced update)", stderr: "", interrupted: false },
  });
  expect(await ran.json()).toEqual({ recorded: 1, flags: [] });
  const again = await (await agent("pre-tool-use", { ...preToolUse, tool_use_id: "toolu_e2e_again" })).json();
  expect(again.hookSpecificOutput.permissionDecision).toBe("deny");

  // The identity's page shows the decision that allowed it and the call that ran.
  await owner.reload();
  const decisions = owner.getByRole("table", { name: "Recent decisions" });
  await expect(decisions.getByRole("row").filter({ hasText: "Bash" }).filter({ hasText: /Allow/ })).toHaveCount(1);
  const calls = owner.getByRole("table", { name: "Recent tool calls" });
  await expect(calls.getByRole("row").filter({ hasText: "Bash" }).first()).toContainText("success");
});
