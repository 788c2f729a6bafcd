import { executeMutation } from "@/lib/auth/mutation";
import type { Db } from "@/lib/db/client";
import { submitScan } from "@/lib/discovery/ingest";
import { scanReportSchema, type ScanReport } from "@/lib/validation/discovery";

// The demo's Discovered queue: two scan reports as the scanner would send
// them, submitted through the real mutation, so the queue, a finding's page
// and the navigation's count have something true to show. The payments
// repository belongs to the Payments team (Olivia sees it), the web app's to
// Developer Experience (Olivia does not).

const SCANNER = { name: "warrant-scan", version: "0.1.0" };

export const DEMO_SCAN_REPORTS: ScanReport[] = [
  {
    scanner: SCANNER,
    repository: "acme/payments-api",
    environment: "PROD",
    team: "Payments",
    commit: "4f1c2a9e0b7d",
    startedAt: new Date().toISOString(),
    durationMs: 840,
    filesSeen: 412,
    filesRead: 37,
    findings: [
      {
        detector: "ci-workflow",
        severity: "HIGH",
        tool: "Claude Code GitHub Action",
        subject: "jobs.claude-review",
        title: "claude-code-action runs on pull requests with contents: write and id-token: write",
        file: ".github/workflows/claude-review.yml",
        line: 14,
        snippet: [
          "  claude-review:",
          "    permissions:",
          "      contents: write",
          "      id-token: write",
          "    steps:",
          "      - uses: anthropics/claude-code-action@v1",
          "        with:",
          "          anthropic_api_key: ${{ secrets.ANTHROPIC_API_KEY }}",
        ].join("\n"),
        proposal: {
          kind: "CI_BOT",
          name: "claude-code-action-payments-api",
          vendor: "Anthropic",
          product: "Claude Code GitHub Action",
          autonomy: "EXECUTE",
          permissions: ["READ", "WRITE"],
          capabilities: ["can mint cloud credentials (id-token: write)", "runs on every pull request"],
        },
        details: {
          workflow: ".github/workflows/claude-review.yml",
          job: "claude-review",
          action: "anthropics/claude-code-action@v1",
          permissions: { contents: "write", "id-token": "write" },
          secretNames: ["ANTHROPIC_API_KEY"],
        },
      },
      {
        detector: "mcp-config",
        severity: "MEDIUM",
        tool: "MCP server github",
        subject: "mcpServers.github",
        title: "MCP server github with a GitHub token from the environment",
        file: ".mcp.json",
        line: 3,
        snippet: [
          '  "mcpServers": {',
          '    "github": {',
          '      "command": "npx",',
          '      "args": ["-y", "@modelcontextprotocol/server-github"],',
          '      "env": { "GITHUB_PERSONAL_ACCESS_TOKEN": "${GITHUB_TOKEN}" }',
        ].join("\n"),
        proposal: {
          kind: "MCP_SERVER",
          name: "github-mcp-payments-api",
          vendor: "GitHub",
          product: "GitHub MCP server",
          autonomy: "DRAFT",
          permissions: ["READ"],
          capabilities: ["reads issues and pull requests with the developer's GitHub token"],
        },
        details: { command: "npx", args: ["-y", "@modelcontextprotocol/server-github"], envVarNames: ["GITHUB_PERSONAL_ACCESS_TOKEN"] },
      },
      {
        detector: "instruction-file",
        severity: "LOW",
        tool: "Claude Code",
        subject: "CLAUDE.md",
        title: "Instructions for Claude Code (CLAUDE.md)",
        file: "CLAUDE.md",
        line: 1,
        snippet: "# payments-api\n\nRun `make test` before committing. Never touch migrations/ without a ticket.",
        proposal: {
          kind: "CODING_AGENT",
          name: "claude-code-payments-api",
          vendor: "Anthropic",
          product: "Claude Code",
          autonomy: "SUGGEST",
          permissions: ["READ"],
          capabilities: [],
        },
        details: { headings: ["payments-api"] },
      },
      {
        detector: "secret",
        severity: "HIGH",
        tool: "AWS",
        subject: "AWS access key sha256:9c1e4b7a",
        title: "AWS access key committed in config/deploy.env",
        file: "config/deploy.env",
        line: 7,
        snippet: "AWS_REGION=eu-west-1\nAWS_ACCESS_KEY_ID=[redacted: AWS access key]",
        proposal: null,
        details: { secretKind: "AWS access key", fingerprint: "sha256:9c1e4b7a", envVarNames: ["AWS_ACCESS_KEY_ID"] },
      },
    ],
  },
  {
    scanner: SCANNER,
    repository: "acme/web",
    environment: "DEV",
    team: "Developer Experience",
    commit: "b83d0e51c2aa",
    startedAt: new Date().toISOString(),
    durationMs: 620,
    filesSeen: 1204,
    filesRead: 22,
    findings: [
      {
        detector: "agent-settings",
        severity: "MEDIUM",
        tool: "Claude Code",
        subject: ".claude/settings.json",
        title: "Claude Code settings allow Bash(npm run *) and a PreToolUse hook",
        file: ".claude/settings.json",
        line: 2,
        snippet: '  "permissions": { "allow": ["Bash(npm run *)", "Edit"] },\n  "hooks": { "PreToolUse": [ … ] }',
        proposal: {
          kind: "CODING_AGENT",
          name: "claude-code-web",
          vendor: "Anthropic",
          product: "Claude Code",
          autonomy: "DRAFT",
          permissions: ["READ", "WRITE"],
          capabilities: ["runs npm scripts"],
        },
        details: { allow: ["Bash(npm run *)", "Edit"], hooks: ["PreToolUse"] },
      },
    ],
  },
];

/** Submits the demo's scan reports as the scanner's CI job would (a system actor: no person submits them). */
export async function seedDemoDiscovery(db: Db) {
  for (const report of DEMO_SCAN_REPORTS) {
    // Sent already by a start that stopped half-way (lib/demo/seed.ts runs this again then).
    const { repository, environment, commit } = scanReportSchema.parse(report);
    const sent = await db.discoveryScan.findFirst({
      where: { commit, repository: { name: repository, environment } },
      select: { id: true },
    });
    if (sent) continue;
    await executeMutation(submitScan, { kind: "system", label: "warrant-scan (demo CI)" }, report, db);
  }
}
