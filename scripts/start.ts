// `npm start`: validates configuration, starts the embedded PostgreSQL when
// DATABASE_URL is not set, applies migrations, loads demo data the first time,
// builds the app if the sources changed, then runs the production server
// (scripts/server.ts: Next behind the runtime listener) and, beside it,
// the background job worker (unless WARRANT_WORKER=0). Ctrl-C stops the app,
// the worker and the database cleanly. `npm run dev` does the same with `next dev`.

import { ensureLocalSecrets } from "../lib/db/local-secrets";
import { prepareDatabase } from "../lib/db/prepare";
import { isLoopbackHost, isLoopbackUrl } from "../lib/env";
import { buildApp, buildIsCurrent } from "./build-fingerprint";
import { loadConfigOrExit } from "./config";
import { spawnNext, spawnProductionServer } from "./next-command";
import { superviseWorker } from "./worker-child";
import { onStopSignal } from "./stop-signals";

const dev = process.argv.includes("--dev");
const log = (message: string) => console.log(`[warrant] ${message}`);

async function main() {
  const config = loadConfigOrExit();

  const embedded = !config.DATABASE_URL;
  // Demo sign-in follows the embedded database unless WARRANT_DEMO says otherwise.
  const demo = config.WARRANT_DEMO ?? embedded;
  process.env.WARRANT_DEMO = demo ? "1" : "0";
  const appUrl = config.AUTH_URL ?? `http://localhost:${config.PORT}`;

  // Demo mode lets anyone who reaches the app sign in as anyone, the admin
  // included. A public AUTH_URL says other people will reach it, so demo mode
  // there must be asked for by name, not inherited from the embedded database.
  if (demo && config.WARRANT_DEMO !== true && !isLoopbackUrl(appUrl)) {
    console.error(
      "Warrant cannot start because of its configuration:\n" +
        `  - AUTH_URL is ${appUrl}, which is not on this machine, and demo mode (on by default with the embedded database) ` +
        "lets anyone who can open that URL sign in as any user, the admin included. Configure sign-in for real " +
        "(DATABASE_URL, OIDC_*), set WARRANT_DEMO=0, or set WARRANT_DEMO=1 if you really mean to publish a demo.",
    );
    process.exit(78);
  }

  if (!process.env.AUTH_SECRET) {
    if (!embedded && !demo) {
      console.error(
        "Warrant cannot start because of its configuration:\n  - AUTH_SECRET is required with DATABASE_URL " +
          "(a random string of at least 32 characters, e.g. from `openssl rand -base64 33`).",
      );
      process.exit(78);
    }
    process.env.AUTH_SECRET = (await ensureLocalSecrets(config.WARRANT_DATA_DIR)).AUTH_SECRET;
  }
  process.env.AUTH_URL = appUrl;

  log(embedded ? "Starting the embedded PostgreSQL (no DATABASE_URL set)…" : "Using the PostgreSQL at DATABASE_URL…");
  const database = await prepareDatabase(config, log);
  if (database.migrationsApplied.length > 0) log(`Applied migrations: ${database.migrationsApplied.join(", ")}`);

  if (demo) {
    const { seedDemoDataOnce } = await import("../lib/demo/seed");
    const { prisma } = await import("../lib/db/client");
    const seeded = await seedDemoDataOnce(prisma, log);
    if (seeded) log("Loaded demo data (first start only).");
    await prisma.$disconnect();
    await (await import("../lib/db/runtime-pool")).closeRuntimePool();
  }

  if (!dev && !(await buildIsCurrent())) {
    log("Building the app (only when the sources changed)…");
    const status = await buildApp();
    if (status !== 0) {
      await database.stop();
      process.exit(status);
    }
  }

  // In demo mode only this machine may connect unless the operator chose a HOST.
  const host = config.HOST ?? (demo ? "127.0.0.1" : undefined);
  if (demo && config.HOST && !isLoopbackHost(config.HOST)) {
    log(
      `WARNING: demo mode on HOST=${config.HOST}: anyone who can reach port ${config.PORT} can sign in as any demo user, the admin included.`,
    );
  }
  // The web server signs nothing: only the worker (and the CLI) need the audit signing key.
  const serverEnv = { ...process.env };
  delete serverEnv.WARRANT_AUDIT_SIGNING_KEY;
  const stdio: ["inherit", "pipe", "inherit"] = ["inherit", "pipe", "inherit"];
  const server = dev
    ? spawnNext(["dev", "-p", String(config.PORT), ...(host ? ["-H", host] : [])], { stdio, env: serverEnv })
    : spawnProductionServer({ port: config.PORT, host }, { stdio, env: serverEnv });
  const worker = config.WARRANT_WORKER ? superviseWorker(log) : undefined;
  if (!worker) log("Not running the background job worker here (WARRANT_WORKER=0); run `npm run worker` somewhere.");

  let announced = false;
  server.stdout?.on("data", (chunk: Buffer) => {
    process.stdout.write(chunk);
    if (!announced && /Ready in/.test(chunk.toString())) {
      announced = true;
      log(`Warrant is running at ${appUrl}`);
      if (demo) log("Sign in with one of the demo users listed on the sign-in page (demo mode).");
      else if (config.OIDC_ISSUER) log("Sign in with your organisation's single sign-on.");
      else log("No sign-in method is configured: set OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET (see README.md).");
      log("Press Ctrl-C to stop.");
    }
  });

  let stopping = false;
  const shutdown = async (code: number) => {
    if (stopping) return;
    stopping = true;
    log("Stopping…");
    const serverStopped = (async () => {
      if (server.exitCode === null && server.signalCode === null) {
        server.kill("SIGTERM");
        await new Promise((resolve) => server.once("exit", resolve));
      }
    })();
    // The worker lets running jobs finish before it exits; the database stops after both.
    await Promise.all([serverStopped, worker?.stop()]);
    await database.stop();
    process.exit(code);
  };
  onStopSignal(() => void shutdown(0));
  server.on("exit", (code) => void shutdown(code ?? 0));
}

main().catch((error: unknown) => {
  console.error(`[warrant] ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
