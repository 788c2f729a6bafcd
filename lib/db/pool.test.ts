import { spawn } from "node:child_process";
import { describe, expect, it } from "vitest";
import { prisma } from "./client";
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
    const script = `
      const { prisma } = await import("./lib/db/client.ts");
      const { runtimeQuery } = await import("./lib/db/runtime-pool.ts");
      await prisma.$queryRaw\`SELECT 1\`;
      await runtimeQuery("one", "SELECT 1", []);
      console.log("queried");`;
    const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "--eval", script], {
      cwd: process.cwd(),
      env: process.env,
    });
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    // Far less than the pools' idle timeout: the process ends because nothing but idle connections is left.
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
    expect(output).toContain("queried");
    expect(code).toBe(0);
  });
});
