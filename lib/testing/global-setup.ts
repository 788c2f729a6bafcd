import path from "node:path";
import pg from "pg";
import type { TestProject } from "vitest/node";
import { startEmbeddedDatabase, type EmbeddedDatabase } from "@/lib/db/embedded";
import { ensureLocalSecrets } from "@/lib/db/local-secrets";
import { applyMigrations } from "@/lib/db/migrate";
import { grantAppRole } from "@/lib/db/roles";
import { databaseUrl, TEMPLATE_DATABASE, testDataDir } from "./test-database";

// Starts one real PostgreSQL for the whole test run (the embedded one, or the
// server at TEST_DATABASE_URL) and migrates a template database that every
// test file clones (see per-file-database.ts).

declare module "vitest" {
  export interface ProvidedContext {
    testServerUrl: string;
  }
}

let embedded: EmbeddedDatabase | undefined;

export default async function setup(project: TestProject) {
  let serverUrl = process.env.TEST_DATABASE_URL;
  if (!serverUrl) {
    // WARRANT_TEST_PG_PORT lets several test runs share a checkout, each with its own server.
    const port = Number(process.env.WARRANT_TEST_PG_PORT ?? 54330);
    const dataDir = testDataDir(port);
    const { POSTGRES_PASSWORD } = await ensureLocalSecrets(dataDir);
    embedded = await startEmbeddedDatabase({ dataDir: path.join(dataDir, "postgres"), port, password: POSTGRES_PASSWORD });
    serverUrl = embedded.url("postgres");
  }
  const admin = new pg.Client({ connectionString: databaseUrl(serverUrl, "postgres") });
  await admin.connect();
  // Left-over databases from an interrupted run are dropped, then the template is rebuilt.
  const stale = await admin.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname LIKE 'warrant_test_%'`);
  for (const { datname } of stale.rows) await admin.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
  await admin.query(`CREATE DATABASE "${TEMPLATE_DATABASE}"`);
  await admin.end();
  await applyMigrations(databaseUrl(serverUrl, TEMPLATE_DATABASE));
  // Tests connect as the server's superuser; this only creates pg-boss's schema (see lib/db/roles.ts).
  await grantAppRole(databaseUrl(serverUrl, TEMPLATE_DATABASE), databaseUrl(serverUrl, TEMPLATE_DATABASE));
  project.provide("testServerUrl", serverUrl);

  return async () => {
    await embedded?.stop();
  };
}
