import { execFile } from "node:child_process";
import { chmod, readFile, stat, writeFile } from "node:fs/promises";
import net from "node:net";
import path from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { scratchDir } from "@/lib/testing/scratch-dir";
import { testDataDir } from "@/lib/testing/test-database";
import { sharedBuffersMb, startEmbeddedDatabase } from "./embedded";
import { ensureLocalSecrets, localSecretsFile } from "./local-secrets";

// Issue 7, item 9: the embedded PostgreSQL's password is generated per
// installation into secrets.json (0600, checked on every start), and a server
// on the port is used only when it is this installation's own.

const run = promisify(execFile);
const harnessPort = process.env.TEST_DATABASE_URL ? undefined : Number(process.env.WARRANT_TEST_PG_PORT ?? 54330);

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, "localhost", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

const superuserUrl = (port: number, password: string) => `postgresql://postgres:${encodeURIComponent(password)}@localhost:${port}/postgres`;

/** The server's shared_buffers in MB (pg_settings counts it in 8 kB blocks). */
async function sharedBuffersOf(port: number, password: string): Promise<number> {
  const client = new pg.Client({ connectionString: superuserUrl(port, password) });
  await client.connect();
  try {
    const { rows } = await client.query<{ mb: number }>(
      `SELECT setting::int * 8 / 1024 AS mb FROM pg_settings WHERE name = 'shared_buffers'`,
    );
    return rows[0]!.mb;
  } finally {
    await client.end();
  }
}

/**
 * The page faults a backend takes for the fourth run of an in-memory sort of 200,000 rows on one
 * connection. With glibc's defaults every run maps its memory afresh (about 3,600 faults each, on
 * this project's VMs); with POSTGRES_MALLOC_ENV the backend reuses what it freed.
 */
async function faultsOfRepeatedSort(port: number, password: string): Promise<number> {
  const client = new pg.Client({ connectionString: superuserUrl(port, password) });
  await client.connect();
  try {
    const { rows } = await client.query<{ pid: number }>("SELECT pg_backend_pid() AS pid");
    // Field 10 of /proc/<pid>/stat (7 after the command's closing parenthesis) counts minor faults.
    const faults = async () => Number((await readFile(`/proc/${rows[0]!.pid}/stat`, "utf8")).split(") ")[1]!.split(" ")[7]);
    await client.query("SET work_mem = '64MB'");
    const sort = "SELECT count(*) FROM (SELECT g FROM generate_series(1, 200000) g ORDER BY g DESC) sorted";
    for (let run = 0; run < 3; run += 1) await client.query(sort);
    const before = await faults();
    await client.query(sort);
    return (await faults()) - before;
  } finally {
    await client.end();
  }
}

async function canConnect(port: number, password: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: superuserUrl(port, password) });
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

describe("secrets.json", () => {
  it("holds a database password of this installation's own, readable by its owner only", async () => {
    const [one, two] = [await scratchDir("warrant-secrets-"), await scratchDir("warrant-secrets-")];
    const first = await ensureLocalSecrets(one);
    expect(first.POSTGRES_PASSWORD.length).toBeGreaterThanOrEqual(24);
    expect(first.POSTGRES_PASSWORD).not.toBe("warrant-embedded");
    expect((await ensureLocalSecrets(two)).POSTGRES_PASSWORD).not.toBe(first.POSTGRES_PASSWORD);
    expect((await stat(localSecretsFile(one))).mode & 0o777).toBe(0o600);
    // Read again on the next start: the same secrets.
    expect(await ensureLocalSecrets(one)).toEqual(first);
  });

  it("keeps an older install's AUTH_SECRET and adds what it lacks", async () => {
    const dir = await scratchDir("warrant-secrets-");
    await writeFile(localSecretsFile(dir), JSON.stringify({ AUTH_SECRET: "kept-from-before-".padEnd(40, "x") }), { mode: 0o600 });
    const secrets = await ensureLocalSecrets(dir);
    expect(secrets.AUTH_SECRET).toBe("kept-from-before-".padEnd(40, "x"));
    expect(secrets.POSTGRES_PASSWORD).toBeTruthy();
    expect(JSON.parse(await readFile(localSecretsFile(dir), "utf8"))).toEqual(secrets);
  });

  it("is refused, and left as it was, when other users can read it", async () => {
    const dir = await scratchDir("warrant-secrets-");
    await ensureLocalSecrets(dir);
    const file = localSecretsFile(dir);
    const before = await readFile(file, "utf8");
    await chmod(file, 0o644);
    await expect(ensureLocalSecrets(dir)).rejects.toThrow(/can be read or changed by other users \(mode 0644\).*chmod 600/);
    expect((await stat(file)).mode & 0o777).toBe(0o644);
    expect(await readFile(file, "utf8")).toBe(before);
  });
});

describe("the CLI with a secrets.json others can read", () => {
  it("stops with the message and what to run, before touching any database", async () => {
    const dir = await scratchDir("warrant-secrets-");
    await ensureLocalSecrets(dir);
    await chmod(localSecretsFile(dir), 0o640);
    const result = await run("npx", ["tsx", "lib/cli/main.ts", "users:list"], {
      env: { ...process.env, DATABASE_URL: "", WARRANT_DATA_DIR: dir, WARRANT_EMBEDDED_PG_PORT: String(await freePort()) },
    }).then(
      () => ({ code: 0, stderr: "" }),
      (error: { code: number; stderr: string }) => error,
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^Error: .*secrets\.json can be read or changed by other users \(mode 0640\).*chmod 600/);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  }, 60_000);
});

describe.skipIf(harnessPort === undefined)("the embedded PostgreSQL", () => {
  it("is not reused when the server on the port is another installation's (it refuses our password)", async () => {
    const dir = await scratchDir("warrant-other-");
    const { POSTGRES_PASSWORD } = await ensureLocalSecrets(dir);
    await expect(
      startEmbeddedDatabase({ dataDir: path.join(dir, "postgres"), port: harnessPort!, password: POSTGRES_PASSWORD }),
    ).rejects.toThrow(
      new RegExp(
        `Port ${harnessPort} is taken by a server that is not this installation's embedded PostgreSQL.*does not accept this installation's password.*WARRANT_EMBEDDED_PG_PORT`,
      ),
    );
  });

  it("is not reused when the server accepts our password but serves another data directory", async () => {
    const { POSTGRES_PASSWORD } = await ensureLocalSecrets(testDataDir(harnessPort!));
    const elsewhere = await scratchDir("warrant-other-");
    await expect(
      startEmbeddedDatabase({ dataDir: path.join(elsewhere, "postgres"), port: harnessPort!, password: POSTGRES_PASSWORD }),
    ).rejects.toThrow(/serves the data directory .*test-\d+\/postgres/);
  });

  it("starts a new server with the generated password, and the old built-in one no longer opens it", async () => {
    const dir = await scratchDir("warrant-fresh-");
    // mkdtemp makes 0700; run as root, the server's own OS user must reach the data directory.
    await chmod(dir, 0o755);
    const { POSTGRES_PASSWORD } = await ensureLocalSecrets(dir);
    const port = await freePort();
    const server = await startEmbeddedDatabase({ dataDir: path.join(dir, "postgres"), port, password: POSTGRES_PASSWORD });
    try {
      expect(await canConnect(port, POSTGRES_PASSWORD)).toBe(true);
      expect(await canConnect(port, "warrant-embedded")).toBe(false);
      // Its cache is sized to the machine (sharedBuffersMb), not PostgreSQL's 128 MB.
      expect(await sharedBuffersOf(port, POSTGRES_PASSWORD)).toBe(sharedBuffersMb());
      // Its backends keep the memory they freed for their next statement (POSTGRES_MALLOC_ENV).
      expect(await faultsOfRepeatedSort(port, POSTGRES_PASSWORD)).toBeLessThan(100);
      // A second start (the CLI while the app runs) reuses it.
      const again = await startEmbeddedDatabase({ dataDir: path.join(dir, "postgres"), port, password: POSTGRES_PASSWORD });
      await again.stop();
      expect(await canConnect(port, POSTGRES_PASSWORD)).toBe(true);
    } finally {
      await server.stop();
    }
  });

  it("moves an install from before per-installation passwords off the old built-in one", async () => {
    const dir = await scratchDir("warrant-upgrade-");
    await chmod(dir, 0o755);
    const { POSTGRES_PASSWORD } = await ensureLocalSecrets(dir);
    const port = await freePort();
    const dataDir = path.join(dir, "postgres");
    // What an earlier version left behind: a server whose superuser has the built-in password.
    const before = await startEmbeddedDatabase({ dataDir, port, password: POSTGRES_PASSWORD });
    const client = new pg.Client({ connectionString: before.url("postgres") });
    await client.connect();
    await client.query(`ALTER ROLE postgres PASSWORD 'warrant-embedded'`);
    await client.end();
    await before.stop();

    const after = await startEmbeddedDatabase({ dataDir, port, password: POSTGRES_PASSWORD });
    try {
      expect(await canConnect(port, POSTGRES_PASSWORD)).toBe(true);
      expect(await canConnect(port, "warrant-embedded")).toBe(false);
    } finally {
      await after.stop();
    }
  });
});

describe("sharedBuffersMb", () => {
  const GiB = 1024 ** 3;
  it("is an eighth of the machine's memory, between PostgreSQL's default and 2 GiB", () => {
    expect(sharedBuffersMb(8 * GiB)).toBe(1024);
    expect(sharedBuffersMb(24 * GiB)).toBe(2048);
    expect(sharedBuffersMb(GiB / 2)).toBe(128);
  });
});
