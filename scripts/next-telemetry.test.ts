import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";

// Warrant promises no call home: every place the project runs `next` must run
// it with Next.js telemetry off, whatever the machine's own Next settings say.

const ROOTS = ["scripts", "lib", "e2e", "app", "playwright.config.ts"];

function sourceFiles(entry: string): string[] {
  if (statSync(entry).isDirectory()) {
    return readdirSync(entry)
      .filter((name) => name !== "generated" && name !== "node_modules")
      .flatMap((name) => sourceFiles(path.join(entry, name)));
  }
  return /\.(ts|tsx|mjs|js)$/.test(entry) ? [entry] : [];
}

describe("Next.js telemetry", () => {
  it("is off in the environment the scripts run next with, even when the machine has it on", async () => {
    const { spawnNextSync } = await import("./next-command");
    const machine = { ...process.env };
    delete machine.NEXT_TELEMETRY_DISABLED;
    // In a scratch directory: `next telemetry` makes a `cache` folder wherever it runs.
    const cwd = mkdtempSync(path.join(tmpdir(), "warrant-next-"));
    const status = spawnNextSync(["telemetry", "status"], { env: machine, encoding: "utf8", cwd });
    rmSync(cwd, { recursive: true, force: true });
    expect(status.stdout).toMatch(/Status: Disabled/);
  });

  it("cannot be left on by a script that runs next some other way", () => {
    const offenders = ROOTS.flatMap(sourceFiles)
      .filter((file) => !file.endsWith("next-command.ts") && !file.endsWith(".test.ts"))
      .filter((file) => /next\/dist\/bin\/next|\bnpx next\b|spawn\w*\(\s*["']next["']/.test(readFileSync(file, "utf8")));
    expect(offenders).toEqual([]);
    const scripts = Object.entries(JSON.parse(readFileSync("package.json", "utf8")).scripts as Record<string, string>);
    expect(scripts.filter(([, command]) => /(^|[;&|]\s*)(npx )?next\b/.test(command))).toEqual([]);
  });

  it("is off for the app the browser tests start", async () => {
    const { default: config } = await import("../playwright.config");
    const servers = [config.webServer].flat();
    const app = servers.find((server) => server?.command.includes("scripts/start.ts"));
    expect(app?.env?.NEXT_TELEMETRY_DISABLED).toBe("1");
  });
});
