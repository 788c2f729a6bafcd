import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "./generated/client";
import { dbPoolSizeSetting } from "@/lib/env";
import { appPoolSize, POOL_SETTINGS } from "./pool";

// One Prisma client per process. It stays importable from scripts, the seed
// and tests (no `server-only` here); the connection is opened on first query.

export type Db = ReturnType<typeof createPrismaClient>;
/** The client passed to code running inside `prisma.$transaction`. */
export type Tx = Parameters<Parameters<Db["$transaction"]>[0]>[0];
/** What read helpers take: the client, or a transaction (e.g. a snapshot, see lib/db/snapshot.ts). */
export type DbOrTx = Db | Tx;

/**
 * Columns no query returns unless it asks for them by name: an agent token's
 * hash identifies a working credential, so it must not travel with the
 * credential rows that pages, the API and exports show.
 */
const OMITTED_BY_DEFAULT = { credential: { secretHash: true } } as const;

/** `poolSize` caps the client's connections (pg's default is 10; the app's own is appPoolSize). */
export function createPrismaClient(databaseUrl: string, poolSize?: number) {
  return new PrismaClient({
    adapter: new PrismaPg({
      connectionString: databaseUrl,
      ...(poolSize ? { max: poolSize } : {}),
      ...POOL_SETTINGS,
    }),
    omit: OMITTED_BY_DEFAULT,
  });
}

const globalForPrisma = globalThis as unknown as { warrantPrisma?: Db; warrantExportPrisma?: Db };

const databaseUrl = () => process.env.DATABASE_URL ?? "postgresql://localhost:5432/warrant";

// Kept on globalThis so hot reloads in development reuse one pool.
export const prisma: Db = (globalForPrisma.warrantPrisma ??= createPrismaClient(databaseUrl(), appPoolSize(dbPoolSizeSetting())));

/**
 * A small pool of its own for CSV exports (lib/inventory/export.ts): an export
 * holds a connection for as long as its client reads, so slow readers must not
 * be able to take the connections every other request needs.
 */
export function exportPrisma(poolSize: number): Db {
  return (globalForPrisma.warrantExportPrisma ??= createPrismaClient(databaseUrl(), poolSize));
}
