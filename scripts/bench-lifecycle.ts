import pg from "pg";
import type { Actor } from "../lib/auth/actor";
import { createPrismaClient, type Db } from "../lib/db/client";
import { expireDueIdentities } from "../lib/inventory/expiry";
import { sendDigests } from "../lib/lifecycle/digest";
import { sendDueNotices } from "../lib/lifecycle/sweep";
import { openDueReviews } from "../lib/reviews/due";
import { suspendOverdueIdentities } from "../lib/reviews/overdue";
import { DAY_MS } from "../lib/time";

// Part of `npm run bench` (--only lifecycle): the daily lifecycle sweeps over
// the bench's 100,000-identity inventory, as the worker runs them: open the
// reviews that came due, send every reminder, warning, escalation and weekly
// report due, suspend identities past the grace period, expire identities past
// their date, and send the digests. Each run works on a fresh copy of the
// loaded database (CREATE DATABASE … TEMPLATE), so every run meets the same
// backlog a first sweep after loading meets, and the bench's own database is
// left as it was. The same sweeps are then run again on the copy (what every
// later hourly run costs when nothing new is due), and once more a day later
// (one day's work, the daily figure).

export interface LifecycleBenchResult {
  /** Each sweep's seconds and what it did on the fresh copy: the whole backlog of a newly loaded inventory. */
  backlog: { name: string; seconds: number; did: string }[];
  backlogSeconds: number;
  /** All the sweeps again, with nothing new due: what each hourly run costs. */
  againSeconds: number;
  /** The sweeps a day later: one day's reviews, reminders, suspensions and expiries, as every day brings. */
  nextDay: { name: string; seconds: number; did: string }[];
  nextDaySeconds: number;
}

const actor: Actor = { kind: "system", label: "bench" };

async function timed<T>(work: () => Promise<T>): Promise<[T, number]> {
  const started = performance.now();
  const result = await work();
  return [result, (performance.now() - started) / 1000];
}

async function sweeps(db: Db, now: Date): Promise<LifecycleBenchResult["backlog"]> {
  const steps: LifecycleBenchResult["backlog"] = [];
  const [opened, openSeconds] = await timed(() => openDueReviews(db, actor, now));
  steps.push({ name: "reviews.open-due", seconds: openSeconds, did: `${opened} reviews opened` });
  const [notices, noticeSeconds] = await timed(() => sendDueNotices(db, actor, now));
  steps.push({
    name: "lifecycle.notify",
    seconds: noticeSeconds,
    did: Object.entries(notices)
      .map(([name, count]) => `${count} ${name}`)
      .join(", "),
  });
  const [suspended, suspendSeconds] = await timed(() => suspendOverdueIdentities(db, actor, now));
  steps.push({ name: "reviews.suspend-overdue", seconds: suspendSeconds, did: `${suspended} identities suspended` });
  const [expired, expireSeconds] = await timed(() => expireDueIdentities(db, actor, now));
  steps.push({ name: "identities.expire", seconds: expireSeconds, did: `${expired} identities expired` });
  const [digests, digestSeconds] = await timed(() => sendDigests(db, actor, now));
  steps.push({ name: "lifecycle.digest", seconds: digestSeconds, did: `${digests} digests` });
  return steps;
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

/**
 * Copies the bench database (`ownerUrl` must be allowed to create databases), runs the sweeps on
 * the copy as the app role (`appUrl`'s user), and drops the copy. Nothing may be connected to the
 * bench database meanwhile: the caller disconnects its clients and stops the server first.
 */
export async function benchLifecycleSweeps(ownerUrl: string, appUrl: string): Promise<LifecycleBenchResult> {
  const source = new URL(ownerUrl).pathname.slice(1);
  const copy = `${source}_lifecycle_bench`;
  const admin = new pg.Client({ connectionString: withDatabase(ownerUrl, "postgres") });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${copy}" WITH (FORCE)`);
    await admin.query(`CREATE DATABASE "${copy}" TEMPLATE "${source}" STRATEGY FILE_COPY`);
    const db = createPrismaClient(withDatabase(appUrl, copy));
    try {
      const now = new Date();
      const total = (steps: { seconds: number }[]) => steps.reduce((sum, step) => sum + step.seconds, 0);
      const backlog = await sweeps(db, now);
      const again = await sweeps(db, now);
      const nextDay = await sweeps(db, new Date(now.getTime() + DAY_MS));
      return { backlog, backlogSeconds: total(backlog), againSeconds: total(again), nextDay, nextDaySeconds: total(nextDay) };
    } finally {
      await db.$disconnect();
    }
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS "${copy}" WITH (FORCE)`).catch(() => undefined);
    await admin.end();
  }
}

export function printLifecycleBench(result: LifecycleBenchResult): void {
  const print = (steps: LifecycleBenchResult["backlog"]) => {
    for (const step of steps) console.log(`    ${step.name.padEnd(26)} ${step.seconds.toFixed(2).padStart(7)} s  ${step.did}`);
  };
  console.log(
    `\nLifecycle sweeps over the inventory (a fresh copy of it), first run with its whole backlog: ${result.backlogSeconds.toFixed(1)} s`,
  );
  print(result.backlog);
  console.log(`  the same sweeps again, nothing new due (every hourly run): ${result.againSeconds.toFixed(2)} s`);
  console.log(`  the sweeps one day later (a day's work): ${result.nextDaySeconds.toFixed(1)} s`);
  print(result.nextDay);
}
