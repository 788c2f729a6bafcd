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
