import pg from "pg";
import type { DbOrTx } from "@/lib/db/client";

// The activity table is range-partitioned by month on receivedAt (migration
// 20261130040000). The database function below creates the partitions for a
// month and the month after; it runs at migrate, at every start
// (lib/db/prepare.ts), and may be called by the app role (it is SECURITY
// DEFINER). A default partition catches any event whose month has no
// partition yet, so an insert never fails for want of one.

export async function ensureActivityPartitions(db: DbOrTx, at = new Date()): Promise<void> {
  await db.$executeRaw`SELECT "warrant_ensure_activity_partitions"(${at}::timestamptz)`;
}

/** The partitions that exist, by name, with their bounds as PostgreSQL prints them ("DEFAULT" for the safety net). */
export async function listActivityPartitions(db: DbOrTx): Promise<{ name: string; bounds: string }[]> {
  return db.$queryRaw<{ name: string; bounds: string }[]>`
    SELECT c.relname AS name, pg_get_expr(c.relpartbound, c.oid) AS bounds
      FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
     WHERE i.inhparent = '"ActivityEvent"'::regclass
     ORDER BY c.relname`;
}

/** The same at start-up, as the schema's owner, before the app's client exists. */
export async function ensureActivityPartitionsAsOwner(ownerUrl: string, at = new Date()): Promise<void> {
  const client = new pg.Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    await client.query(`SELECT "warrant_ensure_activity_partitions"($1::timestamptz)`, [at.toISOString()]);
  } finally {
    await client.end().catch(() => undefined);
  }
}
