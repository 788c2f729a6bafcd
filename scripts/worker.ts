// `npm run worker`: runs the background job worker on its own, for deployments
// that scale workers separately from the web server (`npm start` also runs one
// beside the app unless WARRANT_WORKER=0). Uses DATABASE_URL, or the embedded
// database under the data directory (reusing it if the app is running).
// SIGTERM or Ctrl-C lets running jobs finish, then exits.

import { prepareDatabase } from "../lib/db/prepare";
import { loadConfigOrExit } from "./config";
import { onStopSignal } from "./stop-signals";

const log = (message: string) => console.log(`[worker] ${message}`);

const config = loadConfigOrExit();

/** Beside `npm start` the database is ready and DATABASE_URL is the app role, which may not migrate. */
async function connect(): Promise<{ url: string; stop(): Promise<void> }> {
  if (process.argv.includes("--prepared") && config.DATABASE_URL) return { url: config.DATABASE_URL, stop: async () => undefined };
  return prepareDatabase(config, log);
}

try {
  const database = await connect();
  // Imported once DATABASE_URL is set: the Prisma client reads it on import.
  const { prisma } = await import("../lib/db/client");
  const { startWorker } = await import("../lib/jobs/worker");
  const worker = await startWorker({ databaseUrl: database.url, db: prisma, log });

  let stopping = false;
  const shutdown = async () => {
    if (stopping) return;
    stopping = true;
    log("Stopping: letting running jobs finish…");
    try {
      await worker.stop();
      await prisma.$disconnect();
      await database.stop();
      process.exit(0);
    } catch (error) {
      console.error(`[worker] Stopping failed: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(1);
    }
  };
  onStopSignal(() => void shutdown());
} catch (error) {
  console.error(`[worker] ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
