import { spawn } from "node:child_process";
import { describe, expect, it } from "vitest";
import { prisma } from "./client";
import { appPoolSize } from "./pool";
import { runtimeQuery } from "./runtime-pool";

// Both pools keep a connection through a pause longer than pg's default idle
// timeout (10 s), so a page opened after a pause finds a PostgreSQL backend
// whose caches are warm; and idle connections do not keep a script alive.

const backendOfPrisma = async () => (await prisma.$queryRaw<{ pid: number }[]>`SELECT pg_backend_pid() AS "pid"`)[0]!.pid;
const backendOfRuntimePool = async () =>
  (await runtimeQuery<{ pid: number }>("test_backend_pid", "SELECT pg_backend_pid() AS pid", []))[0]!.pid;

describe("database connection pools", () => {
  it("keep their connections through a pause of more than ten seconds", async () => {
    const before = { prisma: await backendOfPrisma(), runtime: await backendOfRuntimePool() };
    await new Promise((resolve) => setTimeout(resolve, 11_500));
    expect({ prisma: await backendOfPrisma(), runtime: await backendOfRuntimePool() }).toEqual(before);
  });

  it("let a script that never disconnects exit once its work is done", async () => {
    const { output, code } = await runScript(`
      const { prisma } = await import("./lib/db/client.ts");
      const { runtimeQuery } = await import("./lib/db/runtime-pool.ts");
      await prisma.$queryRaw\`SELECT 1\`;
      await runtimeQuery("one", "SELECT 1", []);
      console.log("queried");`);
    expect(output).toContain("queried");
    expect(code).toBe(0);
  });

  it("open at most WARRANT_DB_POOL_SIZE connections for the app, however many statements wait", async () => {
    const { output, code } = await runScript(
      `
      const { prisma } = await import("./lib/db/client.ts");
      const rows = await Promise.all(
        Array.from({ length: 8 }, () => prisma.$queryRaw\`SELECT pg_backend_pid() AS "pid", pg_sleep(0.2)::text AS "slept"\`),
      );
      console.log("backends", new Set(rows.map(([row]) => row.pid)).size);`,
      { WARRANT_DB_POOL_SIZE: "3" },
    );
    expect(output).toContain("backends 3");
    expect(code).toBe(0);
  });

  it("default to twice the machine's cores, at least 4", () => {
    expect(appPoolSize(undefined, 1)).toBe(4);
    expect(appPoolSize(undefined, 2)).toBe(4);
    expect(appPoolSize(undefined, 8)).toBe(16);
    expect(appPoolSize(6, 2)).toBe(6);
  });
});

/** Runs `script` in a new Node process (with tsx, from the checkout); its output and exit code, or null if killed after 25 s. */
async function runScript(script: string, env: Record<string, string> = {}): Promise<{ output: string; code: number | null }> {
  const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "--eval", script], {
    cwd: process.cwd(),
    env: { ...process.env, ...env },
  });
  let output = "";
  child.stdout.on("data", (chunk) => (output += chunk));
  child.stderr.on("data", (chunk) => (output += chunk));
  // Far less than the pools' idle timeout: a script ends because nothing but idle connections is left.
  const code = await new Promise<number | null>((resolve) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      resolve(null);
    }, 25_000);
    child.on("exit", (exitCode) => {
      clearTimeout(timer);
      resolve(exitCode);
    });
  });
  return { output, code };
}
