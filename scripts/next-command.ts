import { spawn, spawnSync, type SpawnOptions, type SpawnSyncOptions } from "node:child_process";
import path from "node:path";

// Every `next` the project runs (build, start, dev) goes through here, so each
// one runs with Next.js telemetry off: Warrant promises not to call home, and
// Next would otherwise send anonymous usage events from builds and servers.

const NEXT_BIN = path.resolve("node_modules/next/dist/bin/next");

/** The environment `next` runs with: the given one, with telemetry turned off. */
export function nextEnv(base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return { ...base, NEXT_TELEMETRY_DISABLED: "1" };
}

/** Starts `next <args>` as a child process (its real PID, not an npx wrapper's). */
export function spawnNext(args: string[], options: Omit<SpawnOptions, "env"> & { env?: NodeJS.ProcessEnv } = {}) {
  return spawn(process.execPath, [NEXT_BIN, ...args], { ...options, env: nextEnv(options.env) });
}

/** Runs `next <args>` to completion. */
export function spawnNextSync(args: string[], options: Omit<SpawnSyncOptions, "env"> & { env?: NodeJS.ProcessEnv } = {}) {
  return spawnSync(process.execPath, [NEXT_BIN, ...args], { ...options, env: nextEnv(options.env) });
}

/**
 * Starts the production web server (scripts/server.ts: Next's handler behind
 * the runtime listener) as a child process, on `port` and `host` (all
 * interfaces when not given), with telemetry off.
 */
export function spawnProductionServer(
  listen: { port: number; host?: string },
  options: Omit<SpawnOptions, "env"> & { env?: NodeJS.ProcessEnv } = {},
) {
  const env: NodeJS.ProcessEnv = { ...nextEnv(options.env), NODE_ENV: "production", PORT: String(listen.port) };
  if (listen.host) env.HOST = listen.host;
  else delete env.HOST;
  // `node --import tsx` rather than the tsx CLI, so the child is the server itself and gets our signals directly.
  return spawn(process.execPath, ["--import", "tsx", path.resolve("scripts/server.ts")], { ...options, env });
}
