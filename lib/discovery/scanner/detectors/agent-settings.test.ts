import { describe, expect, it } from "vitest";
import { agentSettingsDetector } from "./agent-settings";

const context = { repository: "acme/web" };
const detect = (path: string, text: string) => agentSettingsDetector.detect({ path, text }, context);
const claude = (settings: unknown) => detect(".claude/settings.json", JSON.stringify(settings, null, 2))[0]!;

describe("the agent settings detector", () => {
  it("claims Claude Code, Aider, Continue and Codex settings files only", () => {
    for (const path of [
      ".claude/settings.json",
      ".claude/settings.local.json",
      ".aider.conf.yml",
      ".continue/config.yaml",
      ".continue/config.json",
      ".codex/config.toml",
    ]) {
      expect(agentSettingsDetector.claims(path), path).toBe(true);
    }
    for (const path of [".claude/commands/review.md", "settings.json", ".claude/settings.yaml", "config.toml", ".codex/config.json"]) {
      expect(agentSettingsDetector.claims(path), path).toBe(false);
    }
  });

  it("reads a read-only Claude Code setup as READ and DRAFT", () => {
    const finding = claude({ permissions: { allow: ["Read(./src/**)"], deny: ["Read(./.env)"] } });
    expect(finding).toMatchObject({
      severity: "LOW",
      subject: "Claude Code settings",
      proposal: { kind: "CODING_AGENT", vendor: "Anthropic", autonomy: "DRAFT", permissions: ["READ"] },
      details: { permissions: { allow: ["Read(./src/**)"], deny: ["Read(./.env)"], ask: [] } },
    });
  });

  it("infers WRITE and EXECUTE when Bash or Edit is allowed without asking, and lists hooks by event", () => {
    const finding = claude({
      permissions: { allow: ["Bash(npm run test:*)", "Edit"] },
      hooks: { PreToolUse: [{ matcher: "Bash", hooks: [{ type: "command", command: "node scripts/warrant-hook.mjs pre-tool-use" }] }] },
      env: { ANTHROPIC_MODEL: "claude-sonnet", SOME_TOKEN: "do-not-report-this-value" },
    });
    expect(finding.severity).toBe("MEDIUM");
    expect(finding.proposal).toMatchObject({ autonomy: "EXECUTE", permissions: ["READ", "WRITE"] });
    expect(finding.proposal!.capabilities).toContain("runs hook commands on PreToolUse: node scripts/warrant-hook.mjs pre-tool-use");
    expect(finding.details).toMatchObject({
      hooks: [{ event: "PreToolUse", handlers: [{ matcher: "Bash", commands: ["node scripts/warrant-hook.mjs pre-tool-use"] }] }],
      envVars: ["ANTHROPIC_MODEL", "SOME_TOKEN"],
    });
    expect(finding.line).toBe(2);
    expect(JSON.stringify(finding)).not.toContain("do-not-report-this-value");
  });

  it("keeps DRAFT when the allowed Bash rule must still be asked, and reads acceptEdits as WRITE", () => {
    expect(claude({ permissions: { allow: ["Bash(npm test)"], ask: ["Bash(npm test)"] } }).proposal).toMatchObject({
      autonomy: "DRAFT",
      permissions: ["READ", "WRITE"],
    });
    expect(claude({ permissions: { defaultMode: "acceptEdits" } }).proposal).toMatchObject({
      autonomy: "EXECUTE",
      permissions: ["READ", "WRITE"],
    });
  });

  it("reads bypassPermissions as AUTONOMOUS and HIGH", () => {
    const finding = detect(".claude/settings.local.json", JSON.stringify({ permissions: { defaultMode: "bypassPermissions" } }))[0]!;
    expect(finding).toMatchObject({
      severity: "HIGH",
      subject: "Claude Code local settings",
      proposal: { autonomy: "AUTONOMOUS", permissions: ["READ", "WRITE"] },
    });
  });

  it("reads Aider's config: it edits and commits, and yes-always confirms by itself", () => {
    const finding = detect(
      ".aider.conf.yml",
      "model: sonnet\nyes-always: true\ntest-cmd: npm test\nread: [CONVENTIONS.md]\nanthropic-api-key: placeholder\n",
    )[0]!;
    expect(finding).toMatchObject({
      tool: "Aider",
      severity: "HIGH",
      proposal: { autonomy: "EXECUTE", permissions: ["READ", "WRITE"] },
      details: { model: "sonnet", yesAlways: true, autoCommits: true, read: ["CONVENTIONS.md"], keyOptions: ["anthropic-api-key"] },
    });
    expect(JSON.stringify(finding)).not.toContain("placeholder");
    expect(detect(".aider.conf.yml", "auto-commits: false\n")[0]!).toMatchObject({
      severity: "MEDIUM",
      proposal: { autonomy: "DRAFT" },
      details: { autoCommits: false },
    });
  });

  it("reads Continue's models", () => {
    const finding = detect(
      ".continue/config.yaml",
      "name: team\nversion: 0.0.1\nschema: v1\nmodels:\n  - name: Claude\n    provider: anthropic\n    model: claude-sonnet-4\n",
    )[0]!;
    expect(finding).toMatchObject({
      tool: "Continue",
      line: 4,
      proposal: { kind: "IDE_ASSISTANT", permissions: ["READ"] },
      details: { models: [{ provider: "anthropic", model: "claude-sonnet-4" }] },
    });
  });

  it("reports a malformed settings file as one low finding without throwing", () => {
    expect(detect(".claude/settings.json", '{"permissions": {"allow": ["Edit"')).toEqual([
      expect.objectContaining({ severity: "LOW", subject: "unparsable file", tool: "Claude Code", proposal: null }),
    ]);
  });

  it("reads Codex's approval policy and sandbox: never asking with no sandbox is AUTONOMOUS and HIGH", () => {
    const codex = (text: string) => detect(".codex/config.toml", text)[0]!;
    const unfenced = codex(`# team defaults\nmodel = "gpt-5"\napproval_policy = "never"\nsandbox_mode = "danger-full-access"\n`);
    expect(unfenced).toMatchObject({
      severity: "HIGH",
      tool: "Codex",
      subject: "Codex config",
      line: 3,
      proposal: { kind: "CODING_AGENT", vendor: "OpenAI", autonomy: "AUTONOMOUS", permissions: ["READ", "WRITE"] },
      details: { approvalPolicy: "never", sandboxMode: "danger-full-access", model: "gpt-5", mcpServers: 0 },
    });
    expect(unfenced.proposal!.capabilities).toEqual(
      expect.arrayContaining(["never asks for approval (approval_policy = never)", "uses the model gpt-5"]),
    );

    // Codex's usual trusted-project setup: writes in the workspace, asks to leave it; network on is said.
    const usual = codex(
      `sandbox_mode = "workspace-write"\n\n[sandbox_workspace_write]\nnetwork_access = true\n\n[mcp_servers.github]\ncommand = "npx"\n`,
    );
    expect(usual).toMatchObject({
      severity: "MEDIUM",
      line: 1,
      title: "Codex config: edits or runs commands without asking, 1 MCP server",
      proposal: { autonomy: "EXECUTE", permissions: ["READ", "WRITE"] },
      details: { sandboxMode: "workspace-write", networkAccess: true, mcpServers: 1 },
    });
    expect(usual.proposal!.capabilities).toContain("reaches the network from its sandbox (network_access = true)");

    const readOnly = codex(`approval_policy = "untrusted"\nsandbox_mode = "read-only"\n`);
    expect(readOnly).toMatchObject({ severity: "LOW", proposal: { autonomy: "DRAFT", permissions: ["READ"] } });
  });
});
