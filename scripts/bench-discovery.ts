import { execFile } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { scanRepository } from "../lib/discovery/scanner/scan";

// The discovery part of `npm run bench` (`--only discovery`): builds a
// realistic 10,000-file checkout in a temp dir (source in nested packages, a
// node_modules of 4,000 files, a .git directory, binaries, one large file and
// a handful of footprints), then scans a fresh copy of it per run: in process
// (the scanner alone) and as `npm run cli -- scan` would run in CI (a new
// process, report written to a file). It needs no database and no server.
// "Cold" here means new directories and inodes every run; the copy leaves the
// files in the OS page cache, which only a root-owned cache drop would clear.

const run = promisify(execFile);

export interface DiscoveryBenchResult {
  files: number;
  filesSeen: number;
  filesRead: number;
  findings: number;
  scanSeconds: number;
  cliSeconds: number;
  /** The scan's own time inside that process, from its report's durationMs. */
  cliScanSeconds: number;
  load: string;
}

const FOOTPRINTS: Record<string, string> = {
  ".mcp.json":
    '{\n  "mcpServers": {\n    "github": { "command": "npx", "args": ["-y", "@modelcontextprotocol/server-github"], "env": { "GITHUB_PERSONAL_ACCESS_TOKEN": "" } },\n    "sentry": { "url": "https://mcp.sentry.dev/mcp" }\n  }\n}\n',
  ".claude/settings.json":
    '{\n  "permissions": { "allow": ["Bash(npm run test:*)", "Edit"], "deny": ["Read(./.env)"] },\n  "hooks": { "PreToolUse": [{ "matcher": "Bash", "hooks": [{ "type": "command", "command": "node scripts/warrant-hook.mjs pre-tool-use" }] }] }\n}\n',
  ".vscode/mcp.json": '{ "servers": { "playwright": { "type": "stdio", "command": "npx", "args": ["@playwright/mcp@latest"] } } }\n',
  ".github/workflows/ci.yml":
    "on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - run: npm ci && npm test\n",
  ".github/workflows/claude.yml":
    "on: [pull_request]\npermissions:\n  contents: write\n  id-token: write\njobs:\n  review:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: anthropics/claude-code-action@v1\n        with:\n          anthropic_api_key: ${{ secrets.ANTHROPIC_API_KEY }}\n",
  ".github/copilot-instructions.md": "# Copilot\nUse the repository's conventions.\n",
  "AGENTS.md": "# Agents\nRun npm test before you push.\n",
  ".cursor/rules/style.mdc": "---\ndescription: style\n---\nPrefer small functions.\n",
  ".aider.conf.yml": "model: sonnet\nauto-commits: true\n",
};

/** Writes the checkout under root and returns how many files it holds. */
export function generateRepository(root: string): number {
  let files = 0;
  const write = (relativePath: string, content: string | Buffer) => {
    const file = path.join(root, relativePath);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, content);
    files += 1;
  };
  const source = (i: number) =>
    `// module ${i}\nexport function handler${i}(input: string): string {\n  return input.trim() + "${i}";\n}\n`.repeat(8);
  // 5,400 source files: 12 packages × 15 folders × 30 files, two levels deep, each package with its README and CLAUDE.md.
  for (let pkg = 0; pkg < 12; pkg += 1) {
    write(`packages/pkg-${pkg}/README.md`, `# Package ${pkg}\n`);
    write(`packages/pkg-${pkg}/CLAUDE.md`, `# Package ${pkg} notes for Claude\n`);
    for (let folder = 0; folder < 15; folder += 1) {
      for (let file = 0; file < 30; file += 1)
        write(`packages/pkg-${pkg}/src/area-${folder}/sub-${file % 3}/file-${file}.ts`, source(file));
    }
  }
  // A node_modules of 4,000 files, some of them footprints of their own that are not this repository's.
  for (let dep = 0; dep < 200; dep += 1) {
    for (let file = 0; file < 19; file += 1) write(`node_modules/dep-${dep}/lib/file-${file}.js`, `module.exports = ${file};\n`);
    write(`node_modules/dep-${dep}/AGENTS.md`, "# not ours\n");
  }
  // A .git directory with loose objects, which the walk never enters.
  for (let object = 0; object < 400; object += 1)
    write(`.git/objects/${(object % 256).toString(16).padStart(2, "0")}/obj-${object}`, Buffer.alloc(64, object));
  // Binaries, one of them named like a footprint so the binary check runs.
  for (let image = 0; image < 20; image += 1) write(`assets/image-${image}.png`, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x00, image]));
  write("docs/GEMINI.md", Buffer.from([0x23, 0x00, 0x01]));
  // One large file (5 MB) and one large footprint-named file the size limit keeps unread.
  write("data/fixtures.json", "x".repeat(5 * 1024 * 1024));
  write("docs/big/CLAUDE.md", `# huge\n${"y".repeat(2 * 1024 * 1024)}`);
  for (const [relativePath, content] of Object.entries(FOOTPRINTS)) write(relativePath, content);
  // Filler docs to bring the tree to 10,000 files.
  for (let doc = 0; files < 10_000; doc += 1) write(`docs/pages/section-${doc % 20}/page-${doc}.md`, `# Page ${doc}\n`);
  return files;
}

export async function benchDiscovery(runs: number): Promise<DiscoveryBenchResult[]> {
  const workDir = mkdtempSync(path.join(tmpdir(), "warrant-bench-discovery-"));
  try {
    const template = path.join(workDir, "template");
    const files = generateRepository(template);
    console.log(`\nDiscovery: a generated checkout of ${files} files (${workDir}); each run scans a fresh copy.`);
    const results: DiscoveryBenchResult[] = [];
    for (let number = 1; number <= runs; number += 1) {
      const copy = path.join(workDir, `run-${number}`);
      cpSync(template, copy, { recursive: true });
      const started = performance.now();
      const { report } = scanRepository({ root: copy, repository: "bench/discovery" });
      const scanSeconds = (performance.now() - started) / 1000;
      rmSync(copy, { recursive: true, force: true });

      const cliCopy = path.join(workDir, `run-${number}-cli`);
      cpSync(template, cliCopy, { recursive: true });
      const reportFile = path.join(workDir, `report-${number}.json`);
      const cliStarted = performance.now();
      await run("npx", ["tsx", "lib/cli/main.ts", "scan", cliCopy, "--repo-name", "bench/discovery", "--report", reportFile]);
      const cliSeconds = (performance.now() - cliStarted) / 1000;
      const cliScanSeconds = (JSON.parse(readFileSync(reportFile, "utf8")) as { durationMs: number }).durationMs / 1000;
      rmSync(cliCopy, { recursive: true, force: true });

      const load = loadavg()
        .map((value) => value.toFixed(2))
        .join(" ");
      const { filesSeen, filesRead } = report;
      const result = { files, filesSeen, filesRead, findings: report.findings.length, scanSeconds, cliSeconds, cliScanSeconds, load };
      console.log(
        `  run ${number} (load ${load}): scan ${scanSeconds.toFixed(2)} s in process; \`npm run cli -- scan\` ${cliSeconds.toFixed(2)} s as a new process, the scan itself ${cliScanSeconds.toFixed(2)} s; ${filesSeen} files seen, ${filesRead} read, ${result.findings} findings`,
      );
      results.push(result);
    }
    return results;
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}

export function printDiscoveryBench(results: DiscoveryBenchResult[]): void {
  console.log(`\nDiscovery over ${results[0]?.files ?? 0} files, ${results.length} runs side by side (s):`);
  console.log(`  ${"scan in process".padEnd(40)} ${results.map((result) => result.scanSeconds.toFixed(2).padEnd(10)).join(" ")}`);
  const row = (label: string, value: (result: DiscoveryBenchResult) => number) =>
    console.log(`  ${label.padEnd(40)} ${results.map((result) => value(result).toFixed(2).padEnd(10)).join(" ")}`);
  row("npm run cli -- scan, whole process", (result) => result.cliSeconds);
  row("npm run cli -- scan, the scan itself", (result) => result.cliScanSeconds);
}
