import type { Tx } from "@/lib/db/client";

/** The channel the worker listens on (worker.ts): a job's name sent there runs that job now. */
export const WAKE_CHANNEL = "warrant_jobs";

/**
 * Asks the worker to run `job` as soon as the caller's transaction commits: NOTIFY is delivered on
 * commit, so the job never runs before the rows it will read exist, and not at all if they roll back.
 */
export async function wakeJob(tx: Tx, job: string): Promise<void> {
  await tx.$executeRaw`SELECT pg_notify(${WAKE_CHANNEL}, ${job})`;
}
