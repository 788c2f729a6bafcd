import type { QueueOptions } from "pg-boss";
import type { Actor } from "@/lib/auth/actor";
import type { Db } from "@/lib/db/client";

// What a background job is, independent of the queue that runs it: the worker
// (worker.ts) runs these on pg-boss, and `npm run cli -- jobs:run` runs one in
// the foreground through the same runJob below.

export interface JobContext {
  db: Db;
  /** Warrant itself, labelled "job:<name>" (or "cli" from the CLI): pass it to executeMutation or audit with it. */
  actor: Actor;
}

/** Overrides of the worker's queue defaults (see QUEUE_DEFAULTS in worker.ts), in pg-boss's own terms. */
export type JobQueueSettings = Pick<QueueOptions, "retryLimit" | "retryDelay" | "retryBackoff" | "expireInSeconds" | "heartbeatSeconds">;

export interface JobDefinition {
  /** The pg-boss queue name and what `jobs:run` takes: letters, digits and . _ - only. */
  name: string;
  /** When it runs: a five-field cron expression, evaluated in UTC. */
  cron: string;
  /** One sentence for `jobs:list` and the log: why this has to run on a clock. */
  why: string;
  /**
   * Does the work and returns a one-line summary for the log. It must be safe
   * to run twice, concurrently, or again after a crash half-way through: the
   * queue retries a run that failed or whose worker died, and an operator may
   * run it by hand at any time.
   */
  run(ctx: JobContext): Promise<string>;
  queue?: JobQueueSettings;
}

export function jobActor(definition: JobDefinition): Actor {
  return { kind: "system", label: `job:${definition.name}` };
}

/** Runs one job's handler once, in this process. */
export function runJob(definition: JobDefinition, db: Db, actor: Actor = jobActor(definition)): Promise<string> {
  return definition.run({ db, actor });
}
