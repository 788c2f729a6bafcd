#!/usr/bin/env node
// Runs the Prisma CLI without internet access: `node scripts/prisma.mjs <args…>`.
//
// Prisma 7's CLI downloads a native schema engine before almost every command
// (even `generate`). PRISMA_SCHEMA_ENGINE_BINARY points it at our Node stand-in
// instead (scripts/schema-engine/), and the other variables switch off the
// update check and telemetry, which would otherwise call checkpoint.prisma.io.
// An engine path set by the user wins, so the stock binary stays usable.
import { spawn } from "node:child_process";
import { accessSync, chmodSync, constants } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);
const env = { ...process.env };
if (!env.PRISMA_SCHEMA_ENGINE_BINARY) {
  env.PRISMA_SCHEMA_ENGINE_BINARY = fileURLToPath(new URL("./schema-engine/bin.mjs", import.meta.url));
  // The CLI executes the file directly: make sure a checkout kept its exec bit.
  try {
    accessSync(env.PRISMA_SCHEMA_ENGINE_BINARY, constants.X_OK);
  } catch {
    chmodSync(env.PRISMA_SCHEMA_ENGINE_BINARY, 0o755);
  }
}
env.CHECKPOINT_DISABLE ||= "1";
env.PRISMA_HIDE_UPDATE_MESSAGE ||= "1";

const cli = require.resolve("prisma/build/index.js");
const child = spawn(process.execPath, [cli, ...process.argv.slice(2)], { stdio: "inherit", env });

// Ctrl-C reaches the CLI directly (same process group); we only have to
// outlive it. Other termination signals are passed on.
process.on("SIGINT", () => {});
for (const signal of ["SIGTERM", "SIGHUP"]) process.on(signal, () => child.kill(signal));
child.on("error", (error) => {
  process.stderr.write(`Could not start the Prisma CLI: ${error.message}\n`);
  process.exit(1);
});
child.on("exit", (code, signal) => {
  if (!signal) process.exit(code ?? 1);
  process.removeAllListeners(signal);
  process.kill(process.pid, signal);
});
