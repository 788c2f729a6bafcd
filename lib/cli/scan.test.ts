import { readFile } from "node:fs/promises";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "@/lib/testing/cli";
import { fixtureRepository } from "@/lib/testing/fixture-repository";
import { scratchDir } from "@/lib/testing/scratch-dir";
import { scanReportSchema } from "@/lib/validation/discovery";

// The scan command as a CI job runs it: a separate process, no database (the
// URL below points at nothing), a report file, and an upload to a stand-in
// for Warrant's POST /api/v1/discovery/scans.

const NO_DATABASE = { DATABASE_URL: "postgresql://nobody:nothing@127.0.0.1:9/none", WARRANT_URL: "", WARRANT_TOKEN: "" };

let repository: string;
let server: Server;
let baseUrl: string;
const received: { method?: string; url?: string; authorization?: string; body: unknown }[] = [];
let answer: { status: number; body: unknown } = { status: 201, body: {} };

async function bodyOf(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString("utf8"));
}

beforeAll(async () => {
  repository = await fixtureRepository({
    ".git/config": '[remote "origin"]\n\turl = git@github.com:acme/payments-api.git\n',
    ".git/HEAD": "0123456789abcdef0123456789abcdef01234567\n",
    ".claude/settings.json": '{ "permissions": { "allow": ["Bash(npm test)", "Edit"] } }\n',
    ".github/workflows/review.yml":
      "on: pull_request\njobs:\n  review:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: anthropics/claude-code-action@v1\n",
    "AGENTS.md": "# Agents\n",
  });
  server = createServer((request, response) => {
    void bodyOf(request).then((body) => {
      received.push({ method: request.method, url: request.url, authorization: request.headers.authorization, body });
      response.writeHead(answer.status, { "content-type": "application/json" });
      response.end(JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe("npm run cli -- scan", () => {
  it("writes a valid report without a database, named after the origin remote, and prints a summary", async () => {
    const out = path.join(await scratchDir("warrant-scan-report-"), "report.json");
    const { code, output } = await runCli(["scan", repository, "--environment", "prod", "--report", out], NO_DATABASE);
    expect(output).toContain("3 findings");
    expect(code).toBe(0);
    const report = scanReportSchema.parse(JSON.parse(await readFile(out, "utf8")));
    expect(report).toMatchObject({
      repository: "acme/payments-api",
      environment: "PROD",
      commit: "0123456789abcdef0123456789abcdef01234567",
      filesRead: 3,
    });
    expect(report.findings.map((finding) => [finding.detector, finding.file])).toEqual([
      ["agent-settings", ".claude/settings.json"],
      ["ci-workflow", ".github/workflows/review.yml"],
      ["instruction-file", "AGENTS.md"],
    ]);
  });

  it("submits the report with the token as a bearer and prints where Warrant shows it", async () => {
    answer = {
      status: 201,
      body: {
        scan: { id: "scan_123" },
        counts: { total: 3, new: 2, seenAgain: 1, gone: 0, flagged: 0 },
        link: "/discovered?repository=acme%2Frenamed&environment=DEV",
      },
    };
    const { code, output } = await runCli(["scan", repository, "--repo-name", "acme/renamed", "--submit", "--url", baseUrl], {
      ...NO_DATABASE,
      WARRANT_TOKEN: "wrt_test-token-for-the-stand-in",
    });
    expect(output).toContain(
      `Submitted: scan scan_123 (3 found: 2 new, 1 seen again, 0 gone, 0 beyond their identity's grants). ${baseUrl}/discovered?repository=acme%2Frenamed&environment=DEV`,
    );
    expect(code).toBe(0);
    const request = received.at(-1)!;
    expect(request).toMatchObject({
      method: "POST",
      url: "/api/v1/discovery/scans",
      authorization: "Bearer wrt_test-token-for-the-stand-in",
    });
    expect(scanReportSchema.parse(request.body)).toMatchObject({ repository: "acme/renamed", environment: "DEV" });
  });

  it("prints Warrant's refusal and exits non-zero", async () => {
    answer = {
      status: 422,
      body: { error: { code: "validation", message: "The report is not valid.", fields: { team: "no team is named Nope" } } },
    };
    const { code, output } = await runCli(
      ["scan", repository, "--team", "Nope", "--submit", "--url", baseUrl, "--token", "wrt_x"],
      NO_DATABASE,
    );
    expect(code).not.toBe(0);
    expect(output).toContain("Warrant refused the report (422): The report is not valid.");
    expect(output).toContain("team: no team is named Nope");
  });

  it("refuses a missing directory, a bad environment, and --submit without a token", async () => {
    expect((await runCli(["scan", path.join(repository, "nope")], NO_DATABASE)).code).toBe(64);
    expect((await runCli(["scan", repository, "--environment", "qa"], NO_DATABASE)).output).toContain(
      "--environment takes dev, staging, prod",
    );
    const noToken = await runCli(["scan", repository, "--submit", "--url", baseUrl], NO_DATABASE);
    expect(noToken.code).toBe(64);
    expect(noToken.output).toContain("WARRANT_URL and WARRANT_TOKEN");
  });
});
