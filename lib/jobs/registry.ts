import { auditSigningKey, writeCheckpoint } from "@/lib/audit/checkpoint";
import { recomputeAllRiskAndRecord } from "@/lib/inventory/recompute-risk";
import { expireDueIdentities } from "@/lib/inventory/expiry";
import { openDueReviews } from "@/lib/reviews/due";
import { suspendOverdueIdentities } from "@/lib/reviews/overdue";
import { expireDueRequests } from "@/lib/approvals/decide";
import { notificationSettings } from "@/lib/env";
import { deliverDueNotifications, describeDelivery } from "@/lib/notifications/deliver";
import { ensureActivityPartitions } from "@/lib/events/partitions";
import { runControls } from "@/lib/controls/run";
import { buildWaitingPackages } from "@/lib/evidence/build";
import { executeMutation } from "@/lib/auth/mutation";
import { describeNoticeCounts, sendDueNotices } from "@/lib/lifecycle/sweep";
import { sendDigests } from "@/lib/lifecycle/digest";
import type { JobDefinition } from "./job";

// Every background job Warrant runs on a schedule. Adding one is one entry
// here: the worker creates its queue, registers its schedule and handler, and
// `npm run cli -- jobs:list | jobs:run <name>` pick it up.

export const JOBS: readonly JobDefinition[] = [
  {
    name: "risk.recompute",
    // Hourly: credential age, rotation, idle time and overdue reviews move a
    // tier with no change to the identity, and review dates fall due at any
    // hour. A tier is then at most an hour stale, for one batched pass over the
    // inventory an hour (writes only what changed).
    cron: "0 * * * *",
    why: "re-rates every identity, because credential age and overdue reviews change its risk with time alone",
    async run({ db, actor }) {
      const { changed } = await recomputeAllRiskAndRecord(db, actor);
      return `${changed} identit${changed === 1 ? "y" : "ies"} changed tier or reasons`;
    },
  },
  {
    name: "identities.expire",
    // Every ten minutes: an identity past its expiry date must stop acting
    // soon after, and a run with nothing due is one indexed query.
    cron: "*/10 * * * *",
    why: "expires identities that reached their expiry date: their grants end, credentials are revoked and open reviews close",
    async run({ db, actor }) {
      const expired = await expireDueIdentities(db, actor);
      return `${expired} identit${expired === 1 ? "y" : "ies"} expired`;
    },
  },
  {
    name: "reviews.open-due",
    // Hourly, off the hour from the risk sweep: a review opens REVIEW_NOTICE_DAYS
    // before the identity's review date, so an hour's delay never matters, and
    // a run with nothing due is one indexed query.
    cron: "30 * * * *",
    why: "opens a review for every identity in service whose review date is near, so its owner attests before it is overdue",
    async run({ db, actor }) {
      const opened = await openDueReviews(db, actor);
      return `${opened} review${opened === 1 ? "" : "s"} opened`;
    },
  },
  {
    name: "reviews.suspend-overdue",
    // Hourly: the grace period is counted in days, so an hour's delay is immaterial.
    cron: "40 * * * *",
    why: "suspends identities whose review is overdue past the grace period, so access nobody vouches for stops",
    async run({ db, actor }) {
      const suspended = await suspendOverdueIdentities(db, actor);
      return `${suspended} identit${suspended === 1 ? "y" : "ies"} suspended`;
    },
  },
  {
    name: "lifecycle.notify",
    // Hourly, after the review and suspension sweeps (:30, :40): a reminder is about a day, so an
    // hour's delay never matters, and a run with nothing due is a few indexed queries. Each message
    // goes out once, however often this runs (the notice ledger, lib/lifecycle/notices.ts).
    cron: "50 * * * *",
    why: "tells owners of opened, due and overdue reviews and coming expiries, security leads of escalated reviews, and owners weekly of stale credentials",
    async run({ db, actor }) {
      return describeNoticeCounts(await sendDueNotices(db, actor));
    },
  },
  {
    name: "lifecycle.digest",
    // Daily at 07:00 UTC: the messages people chose to receive once a day, one email each.
    cron: "0 7 * * *",
    why: "sends each person who chose the daily digest one email with the lifecycle messages of the past day",
    async run({ db, actor }) {
      const people = await sendDigests(db, actor);
      return `${people} digest${people === 1 ? "" : "s"} sent`;
    },
  },
  {
    name: "approvals.expire",
    // Every ten minutes: deciding an expired request is refused at once
    // anyway; this closes them so lists and the requester see "expired".
    cron: "5-59/10 * * * *",
    why: "closes approval requests nobody decided before their expiry, so a stale change can never be applied",
    async run({ db, actor }) {
      const expired = await expireDueRequests(db, actor);
      return `${expired} approval request${expired === 1 ? "" : "s"} expired`;
    },
  },
  {
    name: "audit.checkpoint",
    // Every ten minutes: deleting the newest events goes unnoticed only back to
    // the last checkpoint, and a run with a head that has not moved is two
    // indexed reads and writes nothing.
    cron: "*/10 * * * *",
    why: "signs the audit chain's head into a checkpoint, so that deleting the newest events is detected by audit:verify",
    async run({ db }) {
      const key = auditSigningKey();
      if (!key) return "no checkpoint: no signing key is configured (set WARRANT_AUDIT_SIGNING_KEY, see README)";
      const result = await writeCheckpoint(db, key);
      if (!result.written) return `no checkpoint: ${result.reason}`;
      const { seq, hash, createdAt, signature } = result.checkpoint;
      // The log line is a copy of the checkpoint outside the database.
      return `checkpoint #${seq} ${hash} at ${createdAt.toISOString()} signature ${signature}`;
    },
  },
  {
    name: "events.partitions",
    // Daily: a server that runs for months without a restart still has next
    // month's partition of the activity log well before it starts (start-up
    // creates this month's and next month's too; the default partition catches the rest).
    cron: "15 3 * * *",
    why: "creates this month's and next month's partitions of the activity log, so events never fall into the default partition",
    async run({ db }) {
      await ensureActivityPartitions(db);
      return "activity partitions for this month and the next are in place";
    },
  },
  {
    name: "notifications.deliver",
    // Every minute, pg-boss's finest schedule: an approver hears of a request
    // within a minute or so, and a run with nothing due is one indexed query.
    // Messages wait in the outbox meanwhile, written with the change that caused them.
    cron: "* * * * *",
    why: "sends the outbox's due email and webhook messages, retrying failed ones with backoff until they are sent or given up",
    async run({ db }) {
      return describeDelivery(await deliverDueNotifications(db, notificationSettings()));
    },
  },
  {
    name: "controls.run",
    // Daily, early morning UTC (after the night's expiry and review sweeps): a control's status is
    // a day's picture, and each run is kept for the trend. Security leads run them on demand too.
    cron: "20 4 * * *",
    why: "runs every Warrant control over live data and keeps the results, so status over time is known and new failures reach the security leads",
    async run({ db, actor }) {
      const summary = await executeMutation(runControls, actor, {}, db);
      const newly = summary.newlyFailing.length > 0 ? `; newly failing: ${summary.newlyFailing.join(", ")}` : "";
      return `controls run ${summary.runId}: ${summary.passed} pass, ${summary.failed} fail, ${summary.notApplicable} not applicable${newly}`;
    },
  },
  {
    name: "evidence.build",
    // Every minute, and at once when someone asks for a package (the request wakes the worker):
    // the schedule picks up a build whose worker died, once its lease has run out.
    cron: "* * * * *",
    why: "builds the evidence packages people asked for, and takes over a build whose worker died",
    async run({ db }) {
      return buildWaitingPackages(db);
    },
    // A package of a long period takes minutes; a build holds a lease of its own meanwhile.
    queue: { expireInSeconds: 2 * 60 * 60 },
  },
];

export function findJob(name: string): JobDefinition | undefined {
  return JOBS.find((job) => job.name === name);
}
