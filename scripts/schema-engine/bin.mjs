#!/usr/bin/env node
// Stand-in for Prisma's native `schema-engine` binary, for machines that cannot
// download it. Point PRISMA_SCHEMA_ENGINE_BINARY here (scripts/prisma.mjs does)
// and the unchanged Prisma CLI runs Prisma's own WASM schema engine over
// @prisma/adapter-pg instead. PostgreSQL only. See README.md for details.
//
// Contract with the CLI (mirrors the native binary):
// - `--version` prints "schema-engine-cli <engines hash>".
// - `--datasource <json> cli can-connect-to-database|create-database`: one-shot
//   commands; failures exit 1 with JSON log lines on stderr, the first of which
//   the CLI skips, carrying `error_code` (P1003 makes the CLI create the database).
// - otherwise JSON-RPC 2.0 on stdin/stdout, one message per line. stdout carries
//   nothing but RPC; stderr carries JSON log lines only.
import { createInterface } from "node:readline";
import { readFileSync } from "node:fs";
import path from "node:path";
import { format } from "node:util";

// Anything that is not a JSON line would corrupt the protocol: route stray
// console output and Node warnings (e.g. pg's sslmode notice) into JSON logs.
const writeStderr = (line) => {
  try {
    process.stderr.write(`${line}\n`);
  } catch {
    // the CLI may already be gone
  }
};
function log(level, message, extra = {}) {
  writeStderr(
    JSON.stringify({ timestamp: new Date().toISOString(), level, fields: { message, ...extra }, target: "schema_engine::logger" }),
  );
}
console.log = console.info = console.debug = console.warn = console.error = (...args) => log("INFO", format(...args));
process.removeAllListeners("warning");
process.on("warning", (warning) => log("WARN", String(warning?.message ?? warning)));

const debugEnabled = /\b(schema-engine|prisma:schemaEngine|prisma:\*|\*)\b/.test(process.env.DEBUG ?? "");

function parseArgs(argv) {
  const args = { datamodels: [], datasource: {}, cli: undefined, version: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--version" || arg === "-V") args.version = true;
    else if (arg === "--datamodels") args.datamodels.push(argv[++i]);
    else if (arg === "--datasource") args.datasource = JSON.parse(argv[++i]);
    else if (arg === "cli") args.cli = argv[++i];
    else if (arg.startsWith("--")) {
      // --enabled-preview-features, --extension-types: nothing to do for PostgreSQL.
      if (argv[i + 1] !== undefined && !argv[i + 1].startsWith("-") && argv[i + 1] !== "cli") i++;
    }
  }
  return args;
}

const args = parseArgs(process.argv.slice(2));
const { url, shadowDatabaseUrl } = args.datasource ?? {};

async function runCliCommand(command) {
  const db = await import("./db.mjs");
  log("INFO", `Starting schema engine CLI (${command})`); // the CLI skips the first stderr line
  try {
    if (!url) throw new Error("No datasource URL given.");
    if (command === "can-connect-to-database") await db.canConnect(url);
    else if (command === "create-database") log("INFO", `Database \`${await db.createDatabase(url)}\` created.`);
    else throw new Error(`Unsupported command: cli ${command}`);
    return 0;
  } catch (error) {
    const { code, message } = db.connectionErrorCode(error, url);
    writeStderr(
      JSON.stringify({
        timestamp: new Date().toISOString(),
        level: "ERROR",
        fields: { is_panic: false, ...(code ? { error_code: code } : {}), message },
        target: "schema_engine::logger",
      }),
    );
    return 1;
  }
}

// Message prefixes of Prisma's user-facing connection errors, for the WASM
// engine's errors that arrive without their code.
const KNOWN_ERRORS = [
  [/^Authentication failed against database server/, "P1000"],
  [/^Can't reach database server/, "P1001"],
  [/^The database server at .* was reached but timed out/, "P1002"],
  [/^Database `[^`]*` does not exist/, "P1003"],
  [/^User `[^`]*` was denied access/, "P1010"],
  [/^Error opening a TLS connection/, "P1011"],
  [/^Server has closed the connection/, "P1017"],
];
const knownErrorCode = (message) => KNOWN_ERRORS.find(([re]) => re.test(message))?.[1];

async function serveRpc() {
  const [{ loadSchemaEngineWasm, isWasmPanic, panicMessage }, db, { bindMigrationAwareSqlAdapterFactory }] = await Promise.all([
    import("./wasm.mjs"),
    import("./db.mjs"),
    import("./adapter-utils.mjs"),
  ]);

  const send = (message) => process.stdout.write(`${JSON.stringify(message)}\n`);

  // Requests we make to the CLI (only `print`), awaiting its acknowledgement.
  const pendingReplies = new Map();
  let nextOwnId = 1;
  const callCli = (method, params) =>
    new Promise((resolve) => {
      const id = `shim-${nextOwnId++}`;
      pendingReplies.set(id, resolve);
      send({ jsonrpc: "2.0", id, method, params });
    });

  const { factory, releaseShadowDatabases } = db.createAdapterFactory({ url, shadowDatabaseUrl });
  let boundFactory = bindMigrationAwareSqlAdapterFactory(factory);
  const datamodels = args.datamodels.map((file) => [file, readFileSync(path.resolve(file), "utf8")]);
  const onLog = (line) => debugEnabled && log("DEBUG", String(line));
  const newEngine = async (factoryToUse) =>
    (await loadSchemaEngineWasm()).SchemaEngine.new({ datamodels: datamodels.length ? datamodels : undefined }, onLog, factoryToUse);

  // One engine per process, created on the first request. It connects at once.
  let enginePromise;
  async function engineFor(method, params) {
    enginePromise ??= newEngine(boundFactory).catch(async (error) => {
      const original = originalError(error);
      const unreachable = knownErrorCode(String(error?.message)) ?? (original && db.connectionErrorCode(original, url).code);
      if (!(method === "diff" && needsNoDatabase(params) && unreachable)) {
        enginePromise = undefined; // let a later request try again
        throw error;
      }
      const offline = db.createOfflineAdapterFactory(original ?? new Error(String(error.message)), url, factory.connectToShadowDb);
      boundFactory = bindMigrationAwareSqlAdapterFactory(offline);
      return newEngine(boundFactory);
    });
    return enginePromise;
  }
  const needsNoDatabase = (params) => [params?.from, params?.to].every((t) => ["empty", "schemaDatamodel", "migrations"].includes(t?.tag));
  // JS errors raised inside the driver adapter reach the engine as ids into this registry.
  const originalError = (error) => {
    const id = /External error id#(\d+)/.exec(String(error?.message))?.[1];
    return id === undefined ? undefined : boundFactory.errorRegistry.consumeError(Number(id))?.error;
  };

  // evaluateDataLoss and createMigration get no shadow database factory in the
  // WASM engine: they only work if the schema of exactly this migrations list
  // is already in the instance's cache, which a diagnosis fills in when every
  // migration of the list is applied. `migrate dev` diagnoses *before* it
  // applies pending migrations, so without this they fail with "PostgreSQL
  // shadow DB must be provided through an external factory".
  const warmedMigrationLists = new Set();
  async function warmMigrationSchemaCache(e, { migrationsList, filters }) {
    const key = JSON.stringify(migrationsList?.migrationDirectories ?? []);
    if (warmedMigrationLists.has(key)) return;
    await e.diagnoseMigrationHistory({ migrationsList, optInToShadowDatabase: true, filters });
    warmedMigrationLists.add(key);
  }

  async function dispatch(method, params) {
    const e = await engineFor(method, params);
    switch (method) {
      case "getDatabaseVersion":
        return e.version(params ?? null);
      case "diff": {
        // The native engine prints the diff through the CLI rather than returning it.
        const { stdout, ...rest } = await e.diff(params);
        if (stdout) await callCli("print", { content: stdout.replace(/\n$/, "") });
        return rest;
      }
      case "evaluateDataLoss":
      case "createMigration":
        await warmMigrationSchemaCache(e, params);
        return e[method](params);
      case "debugPanic":
        return e.debugPanic();
      case "free":
      case "constructor":
        break;
      default:
        if (typeof e[method] === "function") return e[method](params);
    }
    throw Object.assign(new Error(`Method not found: ${method}`), { rpcCode: -32601 });
  }

  function toRpcError(error) {
    if (error?.rpcCode) return { code: error.rpcCode, message: error.message };
    if (isWasmPanic(error)) {
      const message = panicMessage(error); // the CLI shows the top-level message of a panic
      return { code: 4466, message, data: { is_panic: true, message, backtrace: error.stack } };
    }
    let message = String(error?.message ?? error);
    const original = originalError(error);
    if (original) message = message.replace(/External error id#\d+/, String(original.message ?? original));
    let code = typeof error?.code === "string" && /^P\d{4}$/.test(error.code) ? error.code : undefined;
    // The WASM engine leaves out the P-codes of some errors the native engine reports.
    code ??= knownErrorCode(message) ?? (original && db.connectionErrorCode(original, url).code);
    const failedMigration = /apply_script\s+with migration_name="([^"]+)"/.exec(message);
    if (!code && failedMigration) {
      code = "P3018";
      const pgError = db.lastScriptError;
      message = [
        "A migration failed to apply. New migrations cannot be applied before the error is recovered from. Read more about how to resolve migration issues in a production database: https://pris.ly/d/migrate-resolve",
        `Migration name: ${failedMigration[1]}`,
        ...(pgError?.code ? [`Database error code: ${pgError.code}`] : []),
        `Database error:\n${pgError ? [pgError.message, pgError.detail && `DETAIL: ${pgError.detail}`, pgError.hint && `HINT: ${pgError.hint}`].filter(Boolean).join("\n") : message}`,
      ].join("\n\n");
    }
    return {
      code: 4466,
      message: "An error happened. Check the data field for details.",
      data: { is_panic: false, message, meta: error?.meta ?? {}, ...(code ? { error_code: code } : {}) },
    };
  }

  let queue = Promise.resolve();
  let closing = false;
  const unanswered = new Map(); // id -> request

  async function handle(request) {
    if (debugEnabled) log("DEBUG", `request ${request.method}`, { params: JSON.stringify(request.params) });
    let reply;
    let panicked = false;
    try {
      reply = { jsonrpc: "2.0", id: request.id, result: (await dispatch(request.method, request.params)) ?? {} };
    } catch (error) {
      panicked = isWasmPanic(error);
      if (debugEnabled) log("DEBUG", `error in ${request.method}`, { error: format(error) });
      reply = { jsonrpc: "2.0", id: request.id, error: toRpcError(error) };
    }
    // Close and drop shadow databases the engine did not dispose of before
    // answering, so none survive even if the CLI exits at once.
    await releaseShadowDatabases();
    unanswered.delete(request.id);
    send(reply);
    if (panicked) {
      // A panicked WASM instance is unusable; 101 is the native panic exit code.
      await new Promise((r) => setTimeout(r, 50));
      process.exit(101);
    }
  }

  const shutdown = async () => {
    if (closing) return;
    closing = true;
    await Promise.race([queue.then(releaseShadowDatabases), new Promise((r) => setTimeout(r, 10_000))]);
    process.exit(0);
  };

  createInterface({ input: process.stdin, crlfDelay: Infinity })
    .on("line", (line) => {
      if (!line.trim()) return;
      let message;
      try {
        message = JSON.parse(line);
      } catch {
        send({ jsonrpc: "2.0", id: null, error: { code: -32700, message: "Parse error" } });
        return;
      }
      if (message.method === undefined && pendingReplies.has(message.id)) {
        pendingReplies.get(message.id)(message.result);
        pendingReplies.delete(message.id);
        return;
      }
      // The WASM engine is not re-entrant: one request at a time.
      unanswered.set(message.id, message);
      queue = queue.then(() => handle(message));
    })
    .on("close", shutdown);
  // Panics inside engine callbacks escape the returned promise.
  process.on("uncaughtException", async (error) => {
    log("ERROR", isWasmPanic(error) ? panicMessage(error) : format(error));
    for (const id of unanswered.keys()) send({ jsonrpc: "2.0", id, error: toRpcError(error) });
    await releaseShadowDatabases().catch(() => {});
    process.exit(isWasmPanic(error) ? 101 : 1);
  });
  // The CLI stops the engine by closing stdin and sending SIGTERM at once.
  process.on("SIGTERM", shutdown);
  process.on("SIGINT", shutdown);
}

process.stdout.on("error", () => {}); // EPIPE once the CLI has gone
if (args.version) {
  const { loadSchemaEngineWasm } = await import("./wasm.mjs");
  process.stdout.write(`schema-engine-cli ${(await loadSchemaEngineWasm()).version()}\n`);
} else if (args.cli) {
  process.exitCode = await runCliCommand(args.cli);
} else {
  await serveRpc();
}
