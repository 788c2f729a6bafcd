import pg from "pg";
import { POOL_SETTINGS } from "./pool";

// A plain pg pool for the few fixed statements of the runtime endpoints
// (authenticating an agent token, reading what a judgement needs, storing
// decisions), which agents hit before every tool call. Everything else goes
// through Prisma (lib/db/client.ts); here Prisma's per-query work in Node
// cost more than the statements themselves. Statements are named, so each
// connection parses and plans them once.

const globalForPool = globalThis as unknown as { warrantRuntimePool?: pg.Pool };

export function runtimePool(): pg.Pool {
  if (globalForPool.warrantRuntimePool) return globalForPool.warrantRuntimePool;
  const pool = new pg.Pool({
    connectionString: process.env.DATABASE_URL ?? "postgresql://localhost:5432/warrant",
    max: 10,
    ...POOL_SETTINGS,
  });
  // An idle connection the server closed (a restart, a dropped database) is replaced on next use, not a crash.
  pool.on("error", (error) => console.error("Runtime database connection failed", error.message));
  return (globalForPool.warrantRuntimePool = pool);
}

/** Runs a named statement (prepared once per connection) and returns its rows. */
export async function runtimeQuery<Row>(name: string, text: string, values: unknown[]): Promise<Row[]> {
  const result = await runtimePool().query<Row & pg.QueryResultRow>({ name, text, values });
  return result.rows;
}

/** Closes the pool (tests and scripts that end). */
export async function closeRuntimePool(): Promise<void> {
  const pool = globalForPool.warrantRuntimePool;
  globalForPool.warrantRuntimePool = undefined;
  await pool?.end();
}
