import path from "node:path";
import { startEmbeddedDatabase } from "./embedded";
import { ensureLocalSecrets } from "./local-secrets";
import { applyMigrations } from "./migrate";
import { grantAppRole } from "./roles";
import { ensureActivityPartitionsAsOwner } from "@/lib/events/partitions";
import type { Env } from "@/lib/env";

// Finds the database for this process (DATABASE_URL, or the embedded server
// under the data directory), brings its schema up to date as the owner role,
// grants the app role its privileges, and sets process.env.DATABASE_URL to the
// app role so that lib/db/client connects as it.

export interface PreparedDatabase {
  /** The app role's connection (what the app, the worker and the CLI use). */
  url: string;
  /** The owner role's connection (migrations and maintenance such as VACUUM). */
  ownerUrl: string;
  embedded: boolean;
  migrationsApplied: string[];
  /** Why the audit log is not protected from the app role (it owns the tables, or is a superuser); empty when it is. */
  auditLogExposure: string[];
  stop(): Promise<void>;
}

export const EMBEDDED_DATABASE_NAME = "warrant";
/** The role the app runs as on the embedded server; its superuser owns the schema. */
export const EMBEDDED_APP_ROLE = "warrant_app";

export async function prepareDatabase(config: Env, log: (message: string) => void = () => undefined): Promise<PreparedDatabase> {
  let url = config.DATABASE_URL;
  let ownerUrl = config.MIGRATION_DATABASE_URL ?? config.DATABASE_URL;
  let stop = async (): Promise<void> => undefined;
  if (!url || !ownerUrl) {
    const secrets = await ensureLocalSecrets(config.WARRANT_DATA_DIR);
    const server = await startEmbeddedDatabase({
      dataDir: path.join(config.WARRANT_DATA_DIR, "postgres"),
      port: config.WARRANT_EMBEDDED_PG_PORT,
      password: secrets.POSTGRES_PASSWORD,
      log,
    });
    stop = () => server.stop();
    try {
      await server.ensureDatabase(EMBEDDED_DATABASE_NAME);
      await server.ensureRole(EMBEDDED_APP_ROLE, secrets.APP_DB_PASSWORD);
    } catch (error) {
      await stop();
      throw error;
    }
    ownerUrl = server.url(EMBEDDED_DATABASE_NAME);
    url = server.url(EMBEDDED_DATABASE_NAME, { name: EMBEDDED_APP_ROLE, password: secrets.APP_DB_PASSWORD });
    // The embedded install signs audit checkpoints with its own key unless one is configured.
    process.env.WARRANT_AUDIT_SIGNING_KEY ||= secrets.AUDIT_SIGNING_KEY;
  }
  process.env.DATABASE_URL = url;
  const { applied } = await applyMigrations(ownerUrl);
  const { problems } = await grantAppRole(ownerUrl, url);
  await ensureActivityPartitionsAsOwner(ownerUrl);
  if (problems.length > 0) {
    log(
      `WARNING: the audit log is not protected from the app: ${problems.join("; ")}. Anything running as the app could rewrite ` +
        `history. Connect the app as a role of its own (DATABASE_URL) and migrate as the owner (MIGRATION_DATABASE_URL); see README "Database roles".`,
    );
  }
  if (config.DATABASE_URL && !config.WARRANT_AUDIT_SIGNING_KEY) {
    log(
      "WARNING: WARRANT_AUDIT_SIGNING_KEY is not set, so no audit checkpoints are written and deleting the newest audit events " +
        'would go unnoticed. Set it to an Ed25519 key (see README "Audit checkpoints").',
    );
  }
  return { url, ownerUrl, embedded: !config.DATABASE_URL, migrationsApplied: applied, auditLogExposure: problems, stop };
}
