import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, inject } from "vitest";
import { databaseUrl, TEMPLATE_DATABASE } from "./test-database";

// Each test file runs against its own fresh database, cloned from the migrated
// template, so files can run in parallel without seeing each other's rows.
// lib/db/client reads DATABASE_URL when first imported, which happens after this.

const serverUrl = inject("testServerUrl");

const withDatabase = (database: string) => databaseUrl(serverUrl, database);

const databaseName = `warrant_test_${randomBytes(6).toString("hex")}`;
const admin = new pg.Client({ connectionString: withDatabase("postgres") });
await admin.connect();
await admin.query(`CREATE DATABASE "${databaseName}" TEMPLATE "${TEMPLATE_DATABASE}"`);
await admin.end();

process.env.DATABASE_URL = withDatabase(databaseName);
process.env.WARRANT_TEST_SERVER_URL = serverUrl;

afterAll(async () => {
  const { prisma } = await import("@/lib/db/client");
  await prisma.$disconnect();
  const { closeRuntimePool } = await import("@/lib/db/runtime-pool");
  await closeRuntimePool();
  const client = new pg.Client({ connectionString: withDatabase("postgres") });
  await client.connect();
  await client.query(`DROP DATABASE IF EXISTS "${databaseName}" WITH (FORCE)`);
  await client.end();
});
