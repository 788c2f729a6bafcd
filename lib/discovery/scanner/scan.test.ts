import { symlink } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { fixtureRepository, writeFixtureFiles } from "@/lib/testing/fixture-repository";
import { scanReportSchema } from "@/lib/validation/discovery";
import { scanRepository, summarizeScan } from "./scan";
import { MAX_FILE_BYTES } from "./walk";

// Built at run time so this file does not itself look like it holds secrets.
const fake = (prefix: string, length: number) => prefix + "aB3dE5gH7jK9mN1pQ2rS4tU6vW8xY0z".repeat(10).slice(0, length);
const GITHUB_TOKEN = fake("ghp_", 36);
const ANTHROPIC_KEY = fake("sk-ant-api03-", 60);
const PRIVATE_KEY = `-----BEGIN OPENSSH PRIVATE KEY-----\n${fake("b3Blbn", 60)}\n${fake("AAAA", 60)}\n-----END OPENSSH PRIVATE KEY-----`;

const MCP_WITH_SECRET = `{
  "mcpServers": {
    "github": {
      "command": "npx",
      "args": ["-y", "@modelcontextprotocol/server-github", "--token", "${GITHUB_TOKEN}"],
      "env": { "GITHUB_PERSONAL_ACCESS_TOKEN": "${GITHUB_TOKEN}" }
    }
  }
}
`;

describe("scanning a repository", () => {
  it("reports every footprint as a schema-valid report, with each secret a HIGH finding and masked everywhere", async () => {
    const root = await fixtureRepository({
      ".mcp.json": MCP_WITH_SECRET,
      ".aider.conf.yml": `model: sonnet\nanthropic-api-key: ${ANTHROPIC_KEY}\n`,
      "CLAUDE.md": `# Notes\n\nThe deploy key, do not share:\n${PRIVATE_KEY}\nThanks.\n`,
      "src/config.ts": `export const key = "${fake("ghp_", 40)}";\n`,
    });
    const { report } = scanRepository({ root, repository: "acme/web", environment: "staging", team: "Payments" });
    const parsed = scanReportSchema.parse(report);
    expect(parsed).toMatchObject({ repository: "acme/web", environment: "STAGING", team: "Payments", filesSeen: 4, filesRead: 3 });

    const secrets = parsed.findings.filter((finding) => finding.detector === "secret");
    // One GitHub token written twice in .mcp.json is one finding; src/config.ts is no footprint, so it is not read.
    expect(secrets.map(({ file, line, severity, details }) => [file, line, severity, details.kind])).toEqual([
      [".aider.conf.yml", 2, "HIGH", "Anthropic API key"],
      [".mcp.json", 5, "HIGH", "GitHub token"],
      ["CLAUDE.md", 4, "HIGH", "private key"],
    ]);
    for (const finding of secrets) {
      expect(finding.proposal).toBeNull();
      expect(finding.subject).toBe(`${finding.details.kind as string} ${finding.details.fingerprint as string}`);
      expect(finding.subject).toMatch(/sha256:[0-9a-f]{16}$/);
    }

    const json = JSON.stringify(report);
    for (const secret of [GITHUB_TOKEN, ANTHROPIC_KEY, PRIVATE_KEY, fake("b3Blbn", 60), fake("AAAA", 60)])
      expect(json).not.toContain(secret);
    expect(json).toContain("[redacted: GitHub token]");
    const github = parsed.findings.find((finding) => finding.subject === "mcpServers.github")!;
    expect(github.snippet).toContain("[redacted: GitHub token]");
    expect(github.proposal!.capabilities[0]).toBe(
      "runs a local command: npx -y @modelcontextprotocol/server-github --token [redacted: GitHub token]",
    );
  });

  it("keeps snippets to five lines at most around the footprint", async () => {
    const root = await fixtureRepository({
      ".github/workflows/agent.yml": `on: push\njobs:\n${"  # padding\n".repeat(20)}  fix:\n    runs-on: ubuntu-latest\n    steps:\n      - run: claude -p "fix it"\n`,
    });
    const { report } = scanRepository({ root, repository: "acme/web" });
    const [finding] = report.findings;
    expect(finding).toMatchObject({ subject: "jobs.fix", line: 23 });
    expect(finding!.snippet.split("\n")).toEqual(["  # padding", "  # padding", "  fix:", "    runs-on: ubuntu-latest", "    steps:"]);
  });

  it("skips vendored and build directories, symlinks, binaries and large files, and reads only claimed files", async () => {
    const root = await fixtureRepository({
      "AGENTS.md": "# Agents\n",
      "src/index.ts": "export {};\n",
      "node_modules/some-lib/AGENTS.md": "# not ours\n",
      "node_modules/some-lib/.mcp.json": MCP_WITH_SECRET,
      "dist/CLAUDE.md": "# build output\n",
      ".git/CLAUDE.md": "# inside git\n",
      "docs/CLAUDE.md": Buffer.from([0x23, 0x20, 0x00, 0x01, 0x02]),
      "packages/big/CLAUDE.md": `# big\n${"x".repeat(MAX_FILE_BYTES)}`,
    });
    await symlink(path.join(root, "AGENTS.md"), path.join(root, "CLAUDE.md"));
    await symlink(path.join(root, "node_modules"), path.join(root, "linked-modules"));
    const outcome = scanRepository({ root, repository: "acme/web" });
    expect(outcome.report.findings.map((finding) => finding.file)).toEqual(["AGENTS.md"]);
    expect(outcome.report).toMatchObject({ filesSeen: 4, filesRead: 1 });
    expect(outcome.walk).toMatchObject({ directoriesSkipped: 3, symlinksSkipped: 2 });
    expect([...outcome.warnings].sort()).toEqual(["docs/CLAUDE.md: not read (binary)", "packages/big/CLAUDE.md: not read (too large)"]);
    expect(summarizeScan(outcome)).toContain("4 files seen, 1 read");
  });

  it("keeps a finding's fingerprint when an edit moves its line, and changes it for another repository", async () => {
    const settings = (padding: string) =>
      `{${padding}\n  "mcpServers": {\n    "db": { "command": "uvx", "args": ["mcp-server-postgres"] }\n  }\n}\n`;
    const root = await fixtureRepository({ ".cursor/mcp.json": settings("") });
    const before = scanRepository({ root, repository: "acme/web" }).report.findings[0]!;
    await writeFixtureFiles(root, { ".cursor/mcp.json": settings('\n  "note": "a line added above",\n') });
    const after = scanRepository({ root, repository: "acme/web" }).report.findings[0]!;
    expect(after.line).toBe(before.line + 2);
    expect(after.fingerprint).toBe(before.fingerprint);
    expect(scanRepository({ root, repository: "acme/other" }).report.findings[0]!.fingerprint).not.toBe(before.fingerprint);
  });

  it("rates an agent in a reusable workflow by the permissions of the workflow that calls it", async () => {
    const root = await fixtureRepository({
      ".github/workflows/agent.yml": [
        "on: workflow_call",
        "jobs:",
        "  agent:",
        "    runs-on: ubuntu-latest",
        "    steps:",
        "      - uses: anthropics/claude-code-action@v1",
        "",
      ].join("\n"),
      ".github/workflows/review.yml": [
        "name: Review",
        "on: pull_request",
        "permissions:",
        "  contents: read",
        "jobs:",
        "  review:",
        "    uses: ./.github/workflows/agent.yml",
        "",
      ].join("\n"),
    });
    const { report } = scanRepository({ root, repository: "acme/web" });
    expect(report.findings).toEqual([
      expect.objectContaining({
        file: ".github/workflows/agent.yml",
        severity: "MEDIUM",
        proposal: expect.objectContaining({ permissions: ["READ"] }),
        details: expect.objectContaining({
          permissionsFrom: "callers",
          calledBy: [expect.objectContaining({ workflow: "Review", job: "review" })],
        }),
      }),
    ]);
  });

  it("reports a malformed footprint and goes on with the rest", async () => {
    const root = await fixtureRepository({ ".mcp.json": '{ "mcpServers": { "x": ', "AGENTS.md": "# Agents\n" });
    const { report } = scanRepository({ root, repository: "acme/web" });
    expect(scanReportSchema.parse(report).findings.map(({ file, subject, severity }) => [file, subject, severity])).toEqual([
      [".mcp.json", "unparsable file", "LOW"],
      ["AGENTS.md", "instructions", "LOW"],
    ]);
  });
});
