// PostgreSQL side of the shim: the driver adapter the WASM engine talks
// through, the shadow database, and the non-RPC `cli …` commands.
//
// Works around these problems of @prisma/adapter-pg 7.10.1 with the WASM
// schema engine (see README.md):
// - `executeScript` splits scripts on every `;`, which breaks `$$` bodies and
//   string literals and can leave a migration half applied. We send the whole
//   script as one simple-protocol query instead, as the native engine does
//   (PostgreSQL then runs it as one implicit transaction).
// - Columns of type "char" (OID 18, e.g. pg_constraint.contype) are rejected
//   as an unsupported native type; we report them as Character.
// - `connectToShadowDb` ignores the database it creates when configured with
//   a connection string (it uses the main database!) and never drops it
//   otherwise. We create, use and drop the shadow database ourselves, and
//   reset a configured shadow database before use as the native engine does.
import { randomBytes } from "node:crypto";
import pg from "pg";
import { PrismaPg } from "@prisma/adapter-pg";
import { ColumnTypeEnum } from "./adapter-utils.mjs";

const PG_CHAR_OID = 18;
const PG_TEXT_OID = 25;

let adapterPatched = false;

/** The PostgreSQL error of the last failed script (its SQLSTATE goes into P3018 messages). */
export let lastScriptError;

function patchAdapterClasses(adapter) {
  if (adapterPatched) return;
  adapterPatched = true;
  const adapterProto = Object.getPrototypeOf(adapter); // PrismaPgAdapter
  const queryableProto = Object.getPrototypeOf(adapterProto); // PgQueryable, shared with transactions

  // The adapter's type mapping is private, so run its queryRaw against a
  // per-call view whose performIO disguises "char" columns as text, then
  // report those columns as Character, which is what the engine reads them as.
  const queryRaw = queryableProto.queryRaw;
  queryableProto.queryRaw = async function (query) {
    const charColumns = [];
    const view = Object.create(this, {
      performIO: {
        value: async (q) => {
          const result = await this.performIO(q);
          result?.fields?.forEach((field, i) => {
            if (field.dataTypeID === PG_CHAR_OID) {
              field.dataTypeID = PG_TEXT_OID;
              charColumns.push(i);
            }
          });
          return result;
        },
      },
    });
    const result = await queryRaw.call(view, query);
    for (const i of charColumns) result.columnTypes[i] = ColumnTypeEnum.Character;
    return result;
  };

  adapterProto.executeScript = async function (script) {
    try {
      await this.client.query(script);
    } catch (error) {
      lastScriptError = error;
      this.onError(error); // throws the adapter's structured DriverAdapterError
    }
  };
}

/** pg config for a Prisma connection string, honouring `?schema=` like the native engine. */
export function pgConfig(url) {
  const config = { connectionString: url };
  const schema = schemaOf(url);
  if (schema) config.options = `-c search_path="${schema.replaceAll('"', '""')}"`;
  return config;
}

export function schemaOf(url) {
  try {
    return new URL(url).searchParams.get("schema") || undefined;
  } catch {
    return undefined;
  }
}

export function withDatabase(url, database) {
  const u = new URL(url);
  u.pathname = `/${encodeURIComponent(database)}`;
  return u.toString();
}

export function describeServer(url) {
  try {
    const u = new URL(url);
    return { database: decodeURIComponent(u.pathname.replace(/^\//, "")) || "postgres", location: `${u.hostname}:${u.port || 5432}` };
  } catch {
    return { database: "?", location: "?" };
  }
}

const quoteIdent = (name) => `"${name.replaceAll('"', '""')}"`;

async function withClient(url, fn) {
  const client = new pg.Client(pgConfig(url));
  client.on("error", () => {}); // a server-side disconnect must not crash the engine
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => {});
  }
}

/** Runs fn on a maintenance connection to the server of `url`: its own database, else `postgres`, else `template1`. */
async function withServer(url, fn) {
  let lastError;
  for (const db of [undefined, "postgres", "template1"]) {
    try {
      return await withClient(db ? withDatabase(url, db) : url, fn);
    } catch (error) {
      lastError = error;
      if (error?.code !== "3D000") throw error; // only "database does not exist" is worth another try
    }
  }
  throw lastError;
}

/** Maps a pg/connection error to the Prisma error code the CLI expects from the native engine. */
export function connectionErrorCode(error, url) {
  const { database, location } = describeServer(url);
  switch (error?.code) {
    case "3D000":
      return { code: "P1003", message: `Database \`${database}\` does not exist on the database server at \`${location}\`.` };
    case "28P01":
    case "28000":
      return {
        code: "P1000",
        message: `Authentication failed against the database server at \`${location}\`, the provided database credentials are not valid.`,
      };
    case "ECONNREFUSED":
    case "ENOTFOUND":
    case "EAI_AGAIN":
    case "EHOSTUNREACH":
    case "ECONNRESET":
    case "ETIMEDOUT":
      return {
        code: "P1001",
        message: `Can't reach database server at \`${location}\`\n\nPlease make sure your database server is running at \`${location}\`.`,
      };
    default:
      return { code: undefined, message: String(error?.message ?? error) };
  }
}

export async function canConnect(url) {
  await withClient(url, (c) => c.query("SELECT 1"));
}

export async function createDatabase(url) {
  const { database } = describeServer(url);
  await withServer(withDatabase(url, "postgres"), (c) => c.query(`CREATE DATABASE ${quoteIdent(database)}`));
  return database;
}

async function dropDatabase(serverUrl, name) {
  await withServer(serverUrl, async (c) => {
    try {
      await c.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`);
    } catch (error) {
      if (error?.code !== "42601") throw error; // WITH (FORCE) needs PostgreSQL 13+
      await c.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)}`);
    }
  });
}

/**
 * Empties a configured shadow database before use, as the native engine does:
 * drops the schemas the current user owns (so platform schemas it cannot drop
 * are left alone) and recreates the connection's schema.
 */
async function resetDatabase(url) {
  await withClient(url, async (c) => {
    const schema = schemaOf(url) ?? "public";
    const { rows } = await c.query(
      `SELECT nspname FROM pg_namespace
        WHERE (pg_has_role(nspowner, 'MEMBER') OR nspname = $1)
          AND nspname <> 'information_schema' AND nspname NOT LIKE 'pg\\_%'`,
      [schema],
    );
    const statements = rows.map((r) => `DROP SCHEMA ${quoteIdent(r.nspname)} CASCADE;`);
    statements.push(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(schema)};`);
    await c.query(statements.join("\n"));
  });
}

function sameDatabase(a, b) {
  try {
    const [x, y] = [new URL(a), new URL(b)];
    return x.hostname === y.hostname && (x.port || "5432") === (y.port || "5432") && x.pathname === y.pathname;
  } catch {
    return false;
  }
}

/**
 * A migration-aware driver adapter factory (the shape `SchemaEngine.new` wants
 * once bound with `bindMigrationAwareSqlAdapterFactory`).
 *
 * It remembers the shadow database connections it hands out so that
 * `releaseShadowDatabases` can close them and drop any temporary database the
 * engine did not dispose of.
 */
export function createAdapterFactory({ url, shadowDatabaseUrl }) {
  const shadows = new Set(); // shadow adapters not yet disposed
  const temporary = new Set(); // temporary database names not yet dropped

  const connectTo = async (connectionUrl) => {
    const adapter = await new PrismaPg(pgConfig(connectionUrl), { schema: schemaOf(connectionUrl) }).connect();
    patchAdapterClasses(adapter);
    return adapter;
  };

  const connectToShadow = async (connectionUrl, temporaryName) => {
    const adapter = await connectTo(connectionUrl);
    shadows.add(adapter);
    const dispose = adapter.dispose.bind(adapter);
    adapter.dispose = async () => {
      if (!shadows.delete(adapter)) return;
      await dispose();
      if (temporaryName) await dropTemporary(temporaryName);
    };
    return adapter;
  };

  const factory = {
    provider: "postgres",
    adapterName: "@prisma/adapter-pg",
    connect: () => {
      if (!url) throw new Error("No datasource URL was given to the schema engine (set `datasource.url` in prisma.config.ts).");
      return connectTo(url);
    },
    connectToShadowDb: async () => {
      if (shadowDatabaseUrl) {
        if (url && sameDatabase(url, shadowDatabaseUrl)) {
          throw new Error(
            "The shadow database you configured appears to be the same as the main database. Please specify another shadow database.",
          );
        }
        await resetDatabase(shadowDatabaseUrl);
        return connectToShadow(shadowDatabaseUrl);
      }
      if (!url) throw new Error("A shadow database needs a datasource URL (or `shadowDatabaseUrl`).");
      const name = `prisma_shadow_${randomBytes(6).toString("hex")}`;
      await withServer(url, (c) => c.query(`CREATE DATABASE ${quoteIdent(name)}`));
      temporary.add(name);
      return connectToShadow(withDatabase(url, name), name).catch(async (error) => {
        await dropTemporary(name).catch(() => {});
        throw error;
      });
    },
  };

  async function dropTemporary(name) {
    if (!temporary.delete(name)) return;
    await dropDatabase(url, name);
  }

  async function releaseShadowDatabases() {
    for (const adapter of [...shadows]) await adapter.dispose().catch(() => {});
    for (const name of [...temporary]) await dropTemporary(name).catch(() => {});
  }

  return { factory, releaseShadowDatabases };
}

/**
 * Stand-in main connection for when the main database cannot be reached or
 * does not exist: the WASM engine connects as soon as it is created, while the
 * native one connects only when a command needs the database. This lets diffs
 * between schema files, an empty schema and a migrations directory (through
 * the given shadow database factory) run as they do natively; anything that
 * needs the main database still fails with the original connection error.
 */
export function createOfflineAdapterFactory(connectionError, url, connectToShadowDb) {
  const fail = async () => {
    throw connectionError;
  };
  const adapter = {
    provider: "postgres",
    adapterName: "@prisma/adapter-pg",
    // Only the engine's start-up probe (schema exists, version) gets an answer.
    queryRaw: async ({ sql }) => {
      if (!/^SELECT EXISTS\(SELECT 1 FROM pg_namespace/.test(sql)) throw connectionError;
      return {
        columnNames: ["exists", "version", "numeric_version"],
        columnTypes: [ColumnTypeEnum.Boolean, ColumnTypeEnum.Text, ColumnTypeEnum.Int32],
        rows: [[true, "PostgreSQL (not connected)", 0]],
      };
    },
    executeRaw: fail,
    executeScript: fail,
    startTransaction: fail,
    getConnectionInfo: () => ({ schemaName: schemaOf(url), supportsRelationJoins: true }),
    dispose: async () => {},
  };
  return {
    provider: "postgres",
    adapterName: "@prisma/adapter-pg",
    connect: async () => adapter,
    connectToShadowDb: connectToShadowDb ?? fail,
  };
}
