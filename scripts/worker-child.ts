import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";

/**
 * The worker's heap limit. Its jobs stream (an evidence package of a million events holds about
 * 150 MB live), but V8 lets garbage pile up to far more before collecting when nothing limits it: a
 * package build reached 590 MB of RSS without this, about 350 MB with it, at the same speed.
 */
export const WORKER_HEAP_FLAG = "--max-old-space-size=320";

// The job worker `npm start` runs beside the web server, as a child process
// (scripts/worker.ts) so that a crash in a job cannot take the web server down.
//
// If it dies, it is restarted (after 1 s, doubling to a minute while it keeps
// dying) rather than stopping the app: the web server serves users without it,
// jobs are safe to run again after a crash (pg-boss retries the interrupted
// one), so a restart costs nothing, while stopping everything would turn a
// background fault into an outage. Each exit is logged with its code.

const FIRST_DELAY_MS = 1_000;
const MAX_DELAY_MS = 60_000;
/** A worker that ran this long before dying is restarted promptly again. */
const HEALTHY_AFTER_MS = 60_000;
/** The worker waits up to 25 s for running jobs; after this it is killed. */
const STOP_GRACE_MS = 30_000;

export interface SupervisedWorker {
  stop(): Promise<void>;
}

export function superviseWorker(log: (message: string) => void): SupervisedWorker {
  let child: ChildProcess | undefined;
  let restartTimer: NodeJS.Timeout | undefined;
  let delay = FIRST_DELAY_MS;
  let stopping = false;

  const start = () => {
    const startedAt = Date.now();
    // `node --import tsx` rather than the tsx CLI, so the child is the worker itself and gets our signals directly.
    // --prepared: the start script has migrated already, as the owner; the worker only has the app role's DATABASE_URL.
    child = spawn(process.execPath, [WORKER_HEAP_FLAG, "--import", "tsx", path.resolve("scripts/worker.ts"), "--prepared"], {
      stdio: ["ignore", "inherit", "inherit"],
      env: process.env,
    });
    child.on("exit", (code, signal) => {
      child = undefined;
      if (stopping) return;
      if (Date.now() - startedAt >= HEALTHY_AFTER_MS) delay = FIRST_DELAY_MS;
      log(
        `The background job worker exited unexpectedly (${signal ? `signal ${signal}` : `exit code ${code}`}). ` +
          `The app keeps running; scheduled jobs wait until the worker is back. Restarting it in ${Math.round(delay / 1000)} s…`,
      );
      restartTimer = setTimeout(start, delay);
      delay = Math.min(delay * 2, MAX_DELAY_MS);
    });
  };
  start();

  return {
    async stop() {
      stopping = true;
      clearTimeout(restartTimer);
      const running = child;
      if (!running || running.exitCode !== null || running.signalCode !== null) return;
      const exited = new Promise((resolve) => running.once("exit", resolve));
      running.kill("SIGTERM");
      const killer = setTimeout(() => running.kill("SIGKILL"), STOP_GRACE_MS);
      await exited;
      clearTimeout(killer);
    },
  };
}
