import { describe, expect, it } from "vitest";
import { ciWorkflowDetector } from "./ci-workflow";

const context = { repository: "acme/web" };
const detect = (text: string, path = ".github/workflows/agent.yml") => ciWorkflowDetector.detect({ path, text }, context);

const claudeJob = (extra: string) => `name: Claude
on:
  pull_request:
  issue_comment:
env:
  SHARED: \${{ secrets.WORKFLOW_SECRET }}
jobs:
  lint:
    runs-on: ubuntu-latest
    steps:
      - run: npm run lint
  review:
    runs-on: ubuntu-latest
${extra}    steps:
      - uses: actions/checkout@v4
      - name: Review
        uses: anthropics/claude-code-action@v1
        with:
          anthropic_api_key: \${{ secrets.ANTHROPIC_API_KEY }}
`;

describe("the CI workflow detector", () => {
  it("claims workflow files at the repository root only", () => {
    expect(ciWorkflowDetector.claims(".github/workflows/ci.yml")).toBe(true);
    expect(ciWorkflowDetector.claims(".github/workflows/ci.yaml")).toBe(true);
    expect(ciWorkflowDetector.claims("sub/.github/workflows/ci.yml")).toBe(false);
    expect(ciWorkflowDetector.claims(".github/dependabot.yml")).toBe(false);
  });

  it("reports a job with contents: write as HIGH, WRITE, unattended, with the secrets it reads by name", () => {
    const found = detect(claudeJob("    permissions:\n      contents: write\n      pull-requests: write\n      id-token: write\n"));
    expect(found).toHaveLength(1);
    const [review] = found;
    expect(review).toMatchObject({
      subject: "jobs.review",
      line: 12,
      severity: "HIGH",
      tool: "Claude Code",
      proposal: { kind: "CI_BOT", autonomy: "AUTONOMOUS", permissions: ["READ", "WRITE"], vendor: "Anthropic" },
      details: {
        job: "review",
        secrets: ["ANTHROPIC_API_KEY", "WORKFLOW_SECRET"],
        permissionsFrom: "job",
        agentSteps: [{ tool: "Claude Code", name: "Review", uses: "anthropics/claude-code-action@v1", line: 20 }],
        triggers: ["pull_request", "issue_comment"],
      },
    });
    expect(review!.proposal!.capabilities).toEqual(
      expect.arrayContaining(["can mint cloud credentials (id-token: write)", "its GITHUB_TOKEN can write pull-requests"]),
    );
  });

  it("reports a read-only job as MEDIUM with READ only", () => {
    const [review] = detect(claudeJob("    permissions:\n      contents: read\n"));
    expect(review).toMatchObject({ severity: "MEDIUM", proposal: { permissions: ["READ"] }, details: { permissionsFrom: "job" } });
  });

  it("applies the workflow's permissions when the job has none", () => {
    const [review] = detect(claudeJob("").replace("jobs:\n", "permissions: read-all\njobs:\n"));
    expect(review).toMatchObject({
      severity: "MEDIUM",
      proposal: { permissions: ["READ"] },
      details: { permissionsFrom: "workflow", permissions: "read-all" },
    });
  });

  it("assumes READ and WRITE, and says why, when no permissions are set anywhere", () => {
    const [review] = detect(claudeJob(""));
    expect(review).toMatchObject({
      severity: "HIGH",
      proposal: { permissions: ["READ", "WRITE"] },
      details: { permissionsFrom: "default" },
    });
    expect(review!.details.note).toMatch(/default GITHUB_TOKEN permissions apply/);
  });

  it("reads write-all as WRITE and DEPLOY (never ADMIN), and an environment as DEPLOY", () => {
    expect(detect(claudeJob("    permissions: write-all\n"))[0]!.proposal).toMatchObject({ permissions: ["READ", "WRITE", "DEPLOY"] });
    const [deploying] = detect(claudeJob("    environment: production\n    permissions:\n      contents: read\n"));
    expect(deploying).toMatchObject({
      severity: "HIGH",
      proposal: { permissions: ["READ", "DEPLOY"] },
      details: { environment: "production" },
    });
  });

  it("recognises agent CLIs in run steps and names the secrets of their env", () => {
    const text = `on: push
permissions:
  contents: read
jobs:
  fix:
    runs-on: ubuntu-latest
    steps:
      - run: npm install -g @openai/codex
      - run: |
          set -e
          codex exec --full-auto "fix the failing test"
        env:
          OPENAI_API_KEY: \${{ secrets['OPENAI_API_KEY'] }}
      - run: echo "claude is mentioned but not run" && gh copilot suggest "x"
`;
    const [fix] = detect(text);
    expect(fix).toMatchObject({ subject: "jobs.fix", tool: "Codex, GitHub Copilot", details: { secrets: ["OPENAI_API_KEY"] } });
    expect((fix!.details.agentSteps as unknown[]).length).toBe(3);
  });

  it("has no finding for a workflow without an agent step", () => {
    const text = `on: push
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: npm ci && npm test
      - run: echo "ask claude later"
`;
    expect(detect(text)).toEqual([]);
  });

  it("reports a malformed workflow only when it mentions an agent", () => {
    expect(detect("jobs:\n  x:\n    steps: [\n      - uses: anthropics/claude-code-action@v1\n")).toEqual([
      expect.objectContaining({ severity: "LOW", subject: "unparsable file", proposal: null }),
    ]);
    expect(detect("jobs:\n  x:\n    steps: [\n      - run: make\n")).toEqual([]);
  });
});
