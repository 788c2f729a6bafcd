import os from "node:os";

// Settings every pg pool of the app shares (Prisma's, lib/db/client.ts, and the runtime endpoints',
// lib/db/runtime-pool.ts).

/**
 * pg closes a connection after 10 idle seconds by default, and a new
 * PostgreSQL backend plans its first statements on an empty catalog cache
 * (AiIdentity alone has 29 indexes to load): the dashboard's counts took
 * twice as long on one, and the runtime endpoints' prepared statements went
 * with the connection. With that default, a page opened more than 10 seconds
 * after the last was as slow as on a server that had just started (measured:
 * 440 ms, against about 110 ms). Ten minutes keeps a person's pauses warm and
 * still lets a quiet server give its connections back.
 */
export const POOL_SETTINGS = {
  idleTimeoutMillis: 10 * 60_000,
  // Idle connections do not keep a script or the CLI running (with pg's default they did, for 10 seconds).
  allowExitOnIdle: true,
} as const;

/**
 * How many connections the app's pool opens: WARRANT_DB_POOL_SIZE, else twice the machine's cores
 * and at least 4. pg's default of 10 is more than two cores can use: PostgreSQL's statements for a
 * page run side by side on the same cores as the server, and each new backend pays page faults for
 * every page of PostgreSQL's cache it touches for the first time. On the 2-core bench machine, with
 * 4 connections instead of 10 the dashboard's loads 4 to 18 after a start took 76–156 ms against
 * 89–208, and its backends stopped faulting after about 20 loads instead of more than 30.
 */
export function appPoolSize(configured: number | undefined, cores = os.availableParallelism()): number {
  return configured ?? Math.max(4, 2 * cores);
}
