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

  describe("a reusable workflow (on: workflow_call)", () => {
    const reusable = (extra = "") => `name: Agent
on:
  workflow_call:
    secrets:
      ANTHROPIC_API_KEY:
        required: true
jobs:
  agent:
    runs-on: ubuntu-latest
${extra}    steps:
      - uses: anthropics/claude-code-action@v1
        with:
          anthropic_api_key: \${{ secrets.ANTHROPIC_API_KEY }}
`;
    const caller = (name: string, permissions: string) => ({
      path: `.github/workflows/${name}.yml`,
      text: `name: ${name}
on: pull_request
jobs:
  call:
    ${permissions}
    uses: ./.github/workflows/agent.yml
    secrets: inherit
  unrelated:
    uses: acme/shared/.github/workflows/agent.yml@v1
`,
    });
    const detectWith = (text: string, callers: { path: string; text: string }[]) => {
      const file = { path: ".github/workflows/agent.yml", text };
      return ciWorkflowDetector.detect(file, { repository: "acme/web", claimedFiles: [file, ...callers, { path: "README.md", text: "" }] });
    };

    it("runs with what the jobs calling it grant, the widest of them, and names them", () => {
      const readOnly = caller("review", "permissions:\n      contents: read");
      const [agent] = detectWith(reusable(), [readOnly]);
      expect(agent).toMatchObject({
        severity: "MEDIUM",
        proposal: { permissions: ["READ"] },
        details: {
          permissionsFrom: "callers",
          calledBy: [{ workflow: "review", job: "call", file: ".github/workflows/review.yml", permissions: { contents: "read" } }],
        },
      });
      expect(agent!.details.note).toBeUndefined();

      const writer = caller("release", "permissions:\n      contents: write\n      id-token: write");
      const [widest] = detectWith(reusable(), [readOnly, writer]);
      expect(widest).toMatchObject({ severity: "HIGH", proposal: { permissions: ["READ", "WRITE"] } });
      expect(widest!.proposal!.capabilities).toContain("can mint cloud credentials (id-token: write)");
      expect((widest!.details.calledBy as unknown[]).length).toBe(2);
    });

    it("keeps its own permissions when it sets them, and its default when it also runs on another trigger", () => {
      const writer = caller("release", "permissions:\n      contents: write");
      const [own] = detectWith(reusable("    permissions:\n      contents: read\n"), [writer]);
      expect(own).toMatchObject({ proposal: { permissions: ["READ"] }, details: { permissionsFrom: "job" } });

      const alsoDispatched = reusable().replace("on:\n", "on:\n  workflow_dispatch:\n");
      const readOnly = caller("review", "permissions:\n      contents: read");
      expect(detectWith(alsoDispatched, [readOnly])[0]).toMatchObject({ proposal: { permissions: ["READ", "WRITE"] } });
    });

    it("assumes READ and WRITE, and says why, when no workflow of the repository calls it", () => {
      const [agent] = detectWith(reusable(), []);
      expect(agent).toMatchObject({ proposal: { permissions: ["READ", "WRITE"] }, details: { permissionsFrom: "default" } });
      expect(agent!.details.note).toMatch(/called by no workflow of this repository: its callers' GITHUB_TOKEN permissions apply/);
    });
  });

  it("reports a malformed workflow only when it mentions an agent", () => {
    expect(detect("jobs:\n  x:\n    steps: [\n      - uses: anthropics/claude-code-action@v1\n")).toEqual([
      expect.objectContaining({ severity: "LOW", subject: "unparsable file", proposal: null }),
    ]);
    expect(detect("jobs:\n  x:\n    steps: [\n      - run: make\n")).toEqual([]);
  });
});
