import pg from "pg";
import { PgBoss, type ConstructorOptions, type Queue } from "pg-boss";
import type { Db } from "@/lib/db/client";
import { runJob, type JobDefinition } from "./job";
import { JOBS } from "./registry";
import { JOBS_SCHEMA } from "./schema";
import { WAKE_CHANNEL } from "./wake";

// The background worker: pg-boss on Warrant's own PostgreSQL. Any number of
// workers may run against one database (beside the web server or on their
// own machines). pg-boss hands each job to one of them, the schedule table
// makes each cron tick send one job however many workers are up, and a job
// whose run failed or whose worker died is retried by whichever worker is left.

export { JOBS_SCHEMA };

/** How long stop() lets running jobs finish; after that pg-boss fails them and they are retried later. */
const STOP_TIMEOUT_MS = 25_000;

const QUEUE_DEFAULTS = {
  // At most one run waiting and one running per job: a sweep reads everything
  // afresh, so one waiting run covers any number of missed ticks, and two
  // workers do not run the same job side by side (harmless, but wasted work).
  policy: "stately",
  // A failed run is tried three more times, after growing delays (30 s to a few minutes).
  retryLimit: 3,
  retryDelay: 30,
  retryBackoff: true,
  // pg-boss refreshes a running job's heartbeat; when its worker dies the
  // heartbeat stops and the job is retried about a minute later. The expiry
  // bounds a run that hangs while its worker is still alive.
  heartbeatSeconds: 60,
  expireInSeconds: 30 * 60,
} satisfies Omit<Queue, "name">;

export function createBoss(databaseUrl: string, options: Partial<ConstructorOptions> = {}): PgBoss {
  // The schema exists already: the migration runner creates it as the owner and
  // hands it to the app role (lib/db/roles.ts), which may not create schemas.
  return new PgBoss({
    connectionString: databaseUrl,
    schema: JOBS_SCHEMA,
    createSchema: false,
    instanceName: "warrant-worker",
    ...options,
  });
}

/**
 * Creates each job's queue and schedule, bringing existing ones up to date,
 * and removes schedules of jobs no longer in the list. Every call leaves the
 * same rows however often and from however many workers it runs (queues and
 * schedules are keyed by name; pg-boss takes a lock to create a queue).
 */
export async function registerJobs(boss: PgBoss, jobs: readonly JobDefinition[] = JOBS): Promise<void> {
  for (const job of jobs) {
    const { policy, ...settings } = { ...QUEUE_DEFAULTS, ...job.queue };
    await boss.createQueue(job.name, { policy, ...settings });
    // createQueue leaves an existing queue as it was; this applies changed settings.
    await boss.updateQueue(job.name, settings);
    // "once": after the workers were down over a tick, one catch-up run instead of none.
    await boss.schedule(job.name, job.cron, null, { tz: "UTC", missed: "once" });
  }
  const names = new Set(jobs.map((job) => job.name));
  for (const schedule of await boss.getSchedules()) {
    if (!names.has(schedule.name)) await boss.unschedule(schedule.name, schedule.key);
  }
}

export interface WorkerOptions {
  databaseUrl: string;
  db: Db;
  jobs?: readonly JobDefinition[];
  log?: (line: string) => void;
  /** How often an idle worker asks each queue for work. */
  pollingIntervalSeconds?: number;
  /** pg-boss settings; tests shorten its timers. */
  boss?: Partial<ConstructorOptions>;
}

export interface RunningWorker {
  boss: PgBoss;
  /** Stops taking jobs, waits for running ones (up to 25 s), then closes the connections. */
  stop(): Promise<void>;
}

/** pg-boss emits Errors and also plain objects copied from them. */
function describeError(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (error && typeof error === "object") {
    const { message, code } = error as { message?: unknown; code?: unknown };
    if (typeof message === "string" && message) return message;
    if (code !== undefined) return `code ${String(code)}`;
    return JSON.stringify(error);
  }
  return String(error);
}

export async function startWorker(options: WorkerOptions): Promise<RunningWorker> {
  const { db, jobs = JOBS, log = (line: string) => console.log(`[worker] ${line}`), pollingIntervalSeconds = 2 } = options;
  const boss = createBoss(options.databaseUrl, options.boss);
  // Without a listener an `error` event would end the process; pg-boss keeps going after these.
  boss.on("error", (error) => log(`queue error: ${describeError(error)}`));
  boss.on("warning", (warning) => log(`queue warning: ${warning.message}`));

  // Installs or migrates pg-boss's schema first (under its own advisory lock).
  await boss.start();
  await registerJobs(boss, jobs);
  for (const definition of jobs) {
    await boss.work(definition.name, { batchSize: 1, includeMetadata: true, pollingIntervalSeconds }, async ([job]) => {
      if (!job) return;
      const started = Date.now();
      const attempt = `attempt ${job.retryCount + 1} of ${job.retryLimit + 1}`;
      try {
        const summary = await runJob(definition, db);
        log(`${definition.name} done in ${Date.now() - started} ms (job ${job.id}, ${attempt}): ${summary}`);
        return { summary };
      } catch (error) {
        const next = job.retryCount < job.retryLimit ? "it will be retried" : "no retries left";
        log(`${definition.name} FAILED in ${Date.now() - started} ms (job ${job.id}, ${attempt}, ${next}): ${describeError(error)}`);
        throw error;
      }
    });
  }
  const wake = await listenForWakeUps(options.databaseUrl, boss, jobs, log);
  log(`Started: ${jobs.map((job) => `${job.name} (${job.cron} UTC)`).join(", ")}.`);

  let stopping: Promise<void> | undefined;
  return {
    boss,
    stop() {
      stopping ??= (async () => {
        await wake.end().catch(() => undefined);
        await boss.stop({ graceful: true, timeout: STOP_TIMEOUT_MS });
        log("Stopped.");
      })();
      return stopping;
    },
  };
}

/**
 * Runs a job as soon as a committed change asks for it: NOTIFY is delivered on commit, so the job
 * never runs before the row it will read exists. The schedule stays the safety net: a wake-up lost
 * while no worker listened is picked up at the next tick. The queue's "stately" policy makes a
 * burst of wake-ups one run.
 */
async function listenForWakeUps(
  databaseUrl: string,
  boss: PgBoss,
  jobs: readonly JobDefinition[],
  log: (line: string) => void,
): Promise<pg.Client> {
  const names = new Set(jobs.map((job) => job.name));
  const client = new pg.Client({ connectionString: databaseUrl });
  client.on("error", (error) => log(`wake-up listener error: ${describeError(error)} (jobs still run on their schedules)`));
  client.on("notification", (message) => {
    const name = message.payload ?? "";
    if (!names.has(name)) return;
    boss.send(name, {}).catch((error: unknown) => log(`could not wake ${name}: ${describeError(error)}`));
  });
  await client.connect();
  await client.query(`LISTEN ${WAKE_CHANNEL}`);
  return client;
}
