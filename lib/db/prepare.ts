import path from "node:path";
import { startEmbeddedDatabase } from "./embedded";
import { ensureLocalSecrets } from "./local-secrets";
import { applyMigrations } from "./migrate";
import type { Env } from "@/lib/env";

// Finds the database for this process (DATABASE_URL, or the embedded server
// under the data directory), brings its schema up to date and sets
// process.env.DATABASE_URL so that lib/db/client connects to it.

export interface PreparedDatabase {
  url: string;
  embedded: boolean;
  migrationsApplied: string[];
  stop(): Promise<void>;
}

export const EMBEDDED_DATABASE_NAME = "warrant";

export async function prepareDatabase(config: Env, log: (message: string) => void = () => undefined): Promise<PreparedDatabase> {
  let url = config.DATABASE_URL;
  let stop = async (): Promise<void> => undefined;
  if (!url) {
    const secrets = await ensureLocalSecrets(config.WARRANT_DATA_DIR);
    const server = await startEmbeddedDatabase({
      dataDir: path.join(config.WARRANT_DATA_DIR, "postgres"),
      port: config.WARRANT_EMBEDDED_PG_PORT,
      password: secrets.POSTGRES_PASSWORD,
      log,
    });
    await server.ensureDatabase(EMBEDDED_DATABASE_NAME);
    url = server.url(EMBEDDED_DATABASE_NAME);
    stop = () => server.stop();
  }
  process.env.DATABASE_URL = url;
  const { applied } = await applyMigrations(url);
  return { url, embedded: !config.DATABASE_URL, migrationsApplied: applied, stop };
}
