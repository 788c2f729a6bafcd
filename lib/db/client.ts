import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "./generated/client";

// One Prisma client per process. It stays importable from scripts, the seed
// and tests (no `server-only` here); the connection is opened on first query.

export type Db = PrismaClient;
/** The client passed to code running inside `prisma.$transaction`. */
export type Tx = Parameters<Parameters<PrismaClient["$transaction"]>[0]>[0];
/** What read helpers take: the client, or a transaction (e.g. a snapshot, see lib/db/snapshot.ts). */
export type DbOrTx = Db | Tx;

/** `poolSize` caps the client's connections (pg's default is 10). */
export function createPrismaClient(databaseUrl: string, poolSize?: number): PrismaClient {
  return new PrismaClient({ adapter: new PrismaPg({ connectionString: databaseUrl, ...(poolSize ? { max: poolSize } : {}) }) });
}

const globalForPrisma = globalThis as unknown as { warrantPrisma?: PrismaClient; warrantExportPrisma?: PrismaClient };

const databaseUrl = () => process.env.DATABASE_URL ?? "postgresql://localhost:5432/warrant";

// Kept on globalThis so hot reloads in development reuse one pool.
export const prisma: PrismaClient = (globalForPrisma.warrantPrisma ??= createPrismaClient(databaseUrl()));

/**
 * A small pool of its own for CSV exports (lib/inventory/export.ts): an export
 * holds a connection for as long as its client reads, so slow readers must not
 * be able to take the connections every other request needs.
 */
export function exportPrisma(poolSize: number): PrismaClient {
  return (globalForPrisma.warrantExportPrisma ??= createPrismaClient(databaseUrl(), poolSize));
}
