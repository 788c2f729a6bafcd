import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "./generated/client";

// One Prisma client per process. It stays importable from scripts, the seed
// and tests (no `server-only` here); the connection is opened on first query.

export type Db = PrismaClient;
/** The client passed to code running inside `prisma.$transaction`. */
export type Tx = Parameters<Parameters<PrismaClient["$transaction"]>[0]>[0];
/** What read helpers take: the client, or a transaction (e.g. a snapshot, see lib/db/snapshot.ts). */
export type DbOrTx = Db | Tx;

export function createPrismaClient(databaseUrl: string): PrismaClient {
  return new PrismaClient({ adapter: new PrismaPg({ connectionString: databaseUrl }) });
}

const globalForPrisma = globalThis as unknown as { warrantPrisma?: PrismaClient };

// Kept on globalThis so hot reloads in development reuse one pool.
export const prisma: PrismaClient = (globalForPrisma.warrantPrisma ??= createPrismaClient(
  process.env.DATABASE_URL ?? "postgresql://localhost:5432/warrant",
));
