import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const run = promisify(execFile);

/** Runs `npm start`'s script with the given environment; it must stop before touching any database. */
async function start(env: Record<string, string>) {
  try {
    await run("npx", ["tsx", "scripts/start.ts"], {
      env: { NODE_ENV: "production", PATH: process.env.PATH, HOME: process.env.HOME, ...env },
      timeout: 20_000,
    });
    return { code: 0, stderr: "" };
  } catch (error) {
    const failed = error as { code: number; stderr: string };
    return { code: failed.code, stderr: failed.stderr };
  }
}

describe("npm start with bad configuration", () => {
  it("stops at once and names the malformed variable", async () => {
    const { code, stderr } = await start({ PORT: "web", DATABASE_URL: "mysql://db/warrant" });
    expect(code).toBe(78);
    expect(stderr).toContain("Warrant cannot start because of its configuration");
    expect(stderr).toContain("PORT must be a number");
    expect(stderr).toContain("DATABASE_URL must start with postgresql://");
  });

  it("requires AUTH_SECRET with a real database and says how to make one", async () => {
    const { code, stderr } = await start({ DATABASE_URL: "postgresql://warrant@db.example.com:5432/warrant" });
    expect(code).toBe(78);
    expect(stderr).toMatch(/AUTH_SECRET is required with DATABASE_URL.*openssl rand/);
  });
});

describe("npm start in demo mode", () => {
  // A data directory that cannot exist (under /dev/null) stops a start that gets past the checks before any database starts.
  const unreachable = { WARRANT_DATA_DIR: "/dev/null/warrant" };

  it("refuses a public AUTH_URL when demo mode only came from the embedded database", async () => {
    const { code, stderr } = await start({ ...unreachable, AUTH_URL: "https://warrant.example.com" });
    expect(code).toBe(78);
    expect(stderr).toMatch(/AUTH_URL is https:\/\/warrant\.example\.com, which is not on this machine.*WARRANT_DEMO=1/);
  });

  it("goes on with a public AUTH_URL when WARRANT_DEMO=1 asks for it, and with a loopback AUTH_URL", async () => {
    const cases: Record<string, string>[] = [
      { AUTH_URL: "https://warrant.example.com", WARRANT_DEMO: "1" },
      { AUTH_URL: "http://127.0.0.1:3200" },
      { AUTH_URL: "http://[::1]:3200" },
    ];
    for (const env of cases) {
      const { code, stderr } = await start({ ...unreachable, ...env });
      expect(code, JSON.stringify(env)).not.toBe(78);
      expect(stderr).not.toContain("which is not on this machine");
    }
  });
});
