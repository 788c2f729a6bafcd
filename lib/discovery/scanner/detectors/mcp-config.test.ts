import { describe, expect, it } from "vitest";
import { mcpConfigDetector } from "./mcp-config";

const context = { repository: "acme/web" };
const detect = (path: string, text: string) => mcpConfigDetector.detect({ path, text }, context);

describe("the MCP config detector", () => {
  it("claims the clients' config files and nothing else", () => {
    for (const path of [
      ".mcp.json",
      ".cursor/mcp.json",
      ".vscode/mcp.json",
      "claude_desktop_config.json",
      ".gemini/settings.json",
      "apps/api/.mcp.json",
      ".continue/config.yaml",
      ".continue/mcpServers/db.json",
      ".codex/config.toml",
    ]) {
      expect(mcpConfigDetector.claims(path), path).toBe(true);
    }
    for (const path of ["mcp.json", "src/mcp.json", ".vscode/settings.json", "package.json", ".claude/settings.json"]) {
      expect(mcpConfigDetector.claims(path), path).toBe(false);
    }
  });

  it("reports each server with its command, URL and the names (never the values) of what it is given", () => {
    const text = `{
  "mcpServers": {
    "github": {
      "command": "npx",
      "args": ["-y", "@modelcontextprotocol/server-github"],
      "env": { "GITHUB_PERSONAL_ACCESS_TOKEN": "value-that-must-not-appear" }
    },
    "linear": { "url": "https://mcp.linear.app/sse?api_key=hidden-query", "headers": { "Authorization": "Bearer also-hidden" } }
  }
}`;
    const [github, linear] = detect(".mcp.json", text);
    expect(github).toMatchObject({
      subject: "mcpServers.github",
      tool: "MCP server github",
      line: 3,
      severity: "MEDIUM",
      proposal: {
        kind: "MCP_SERVER",
        permissions: [],
        product: "@modelcontextprotocol/server-github",
        name: "github MCP server - acme/web",
      },
      details: { client: "Claude Code", command: "npx", envVars: ["GITHUB_PERSONAL_ACCESS_TOKEN"] },
    });
    expect(github!.proposal!.capabilities).toContain("runs a local command: npx -y @modelcontextprotocol/server-github");
    expect(linear).toMatchObject({
      subject: "mcpServers.linear",
      line: 8,
      details: { url: "https://mcp.linear.app/sse", headers: ["Authorization"] },
    });
    expect(linear!.proposal!.capabilities).toContain("connects to https://mcp.linear.app/sse");
    const json = JSON.stringify([github, linear]);
    for (const value of ["value-that-must-not-appear", "hidden-query", "also-hidden"]) expect(json).not.toContain(value);
  });

  it("reads VS Code's servers key (with JSONC comments and trailing commas), not mcpServers", () => {
    const text = `{
  // the team's servers
  "servers": {
    "playwright": { "type": "stdio", "command": "npx", "args": ["@playwright/mcp@latest"], },
  },
}`;
    const found = detect(".vscode/mcp.json", text);
    expect(found.map((finding) => [finding.subject, finding.line, finding.details.client])).toEqual([
      ["servers.playwright", 4, "VS Code agent mode"],
    ]);
    expect(detect(".vscode/mcp.json", `{"mcpServers": {"x": {"command": "y"}}}`)).toEqual([]);
  });

  it("reads Claude Desktop, Gemini CLI and Continue's list of servers", () => {
    expect(
      detect(
        "claude_desktop_config.json",
        `{"mcpServers": {"fs": {"command": "npx", "args": ["-y", "@modelcontextprotocol/server-filesystem", "/"]}}}`,
      )[0],
    ).toMatchObject({
      subject: "mcpServers.fs",
      details: { client: "Claude Desktop" },
    });
    expect(
      detect(".gemini/settings.json", `{"theme": "dark", "mcpServers": {"db": {"httpUrl": "https://db.example.com/mcp"}}}`)[0],
    ).toMatchObject({
      subject: "mcpServers.db",
      details: { client: "Gemini CLI", url: "https://db.example.com/mcp" },
    });
    const continueYaml =
      "name: team\nversion: 0.0.1\nschema: v1\nmcpServers:\n  - name: SQLite\n    command: npx\n    args: [-y, mcp-sqlite]\n";
    expect(detect(".continue/config.yaml", continueYaml)[0]).toMatchObject({
      subject: "mcpServers.SQLite",
      line: 5,
      details: { client: "Continue" },
    });
  });

  it("reads Codex's [mcp_servers.<name>] tables in TOML, with their lines, header and token variable names, and a switched-off one as LOW", () => {
    const text = `model = "gpt-5"
approval_policy = "on-request"

[mcp_servers.github]
command = "npx"
args = ["-y", "@modelcontextprotocol/server-github"]
env = { GITHUB_PERSONAL_ACCESS_TOKEN = "ghp_not-reported" }

[mcp_servers."docs search"]
url = "https://mcp.example.com/mcp?key=not-reported"
bearer_token_env_var = "DOCS_MCP_TOKEN"
http_headers = { "X-Team" = "platform" }

# Kept for later, off for now.
[mcp_servers.browser]
command = "uvx"
args = ["browser-mcp"]
enabled = false
`;
    const [github, docs, browser, ...rest] = detect(".codex/config.toml", text);
    expect(rest).toEqual([]);
    expect(github).toMatchObject({
      severity: "MEDIUM",
      subject: "mcp_servers.github",
      line: 4,
      title: 'Codex is configured to use the MCP server "github"',
      proposal: { kind: "MCP_SERVER", product: "@modelcontextprotocol/server-github" },
      details: { client: "Codex", transport: "stdio", envVars: ["GITHUB_PERSONAL_ACCESS_TOKEN"] },
    });
    expect(docs).toMatchObject({
      severity: "MEDIUM",
      subject: "mcp_servers.docs search",
      line: 9,
      details: { url: "https://mcp.example.com/mcp", envVars: ["DOCS_MCP_TOKEN"], headers: ["X-Team"] },
    });
    expect(browser).toMatchObject({ severity: "LOW", subject: "mcp_servers.browser", line: 15, details: { enabled: false } });
    expect(browser!.proposal!.capabilities).toContain("is switched off in this file (enabled = false)");
    // Only names: no value given to a server is in the findings.
    expect(JSON.stringify([github, docs, browser])).not.toMatch(/not-reported|platform/);
  });

  it("reports a malformed Codex config as one low finding on the parser's line", () => {
    const [finding, ...rest] = detect(".codex/config.toml", '[mcp_servers.github]\ncommand = "npx"\nargs = ["-y",\n');
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({ severity: "LOW", subject: "unparsable file", proposal: null, line: expect.any(Number) });
    expect(finding!.title).toMatch(/not valid TOML/);
  });

  it("finds nothing in a config without servers", () => {
    expect(detect(".mcp.json", `{"mcpServers": {}}`)).toEqual([]);
    expect(detect(".gemini/settings.json", `{"theme": "dark"}`)).toEqual([]);
  });

  it("reports a malformed file as one low finding with the parser's message, without throwing", () => {
    const [finding] = detect(".cursor/mcp.json", `{\n  "mcpServers": {\n    "x": { "command": \n`);
    expect(finding).toMatchObject({ severity: "LOW", subject: "unparsable file", proposal: null, tool: "Cursor MCP config" });
    expect(finding!.details.error).toEqual(expect.any(String));
  });
});
