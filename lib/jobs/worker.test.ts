import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { promisify } from "node:util";
import type { PgBoss } from "pg-boss";
import { afterEach, describe, expect, it } from "vitest";
import { prisma } from "@/lib/db/client";
import { applyMigrations } from "@/lib/db/migrate";
import { recomputeRisk } from "@/lib/inventory/recompute-risk";
import { createTestUser } from "@/lib/testing/factories";
import { DAY_MS } from "@/lib/time";
import type { JobDefinition } from "./job";
import { findJob, JOBS } from "./registry";
import { createBoss, registerJobs, startWorker, type RunningWorker, type WorkerOptions } from "./worker";

// The real worker, on pg-boss, against this file's own database. Jobs are sent
// through the queue and observed where a user would see their effect: the
// stored risk rating and the audit log.

const databaseUrl = process.env.DATABASE_URL!;
const riskJob = findJob("risk.recompute")!;

// Short pg-boss timers so tests wait seconds, not minutes. The cron loop is
// off: a tick landing mid-test (a test started just after the hour) would add
// a run the test did not send. The schedule test reads the schedule table.
const FAST: Partial<WorkerOptions> = {
  pollingIntervalSeconds: 0.5,
  boss: { schedule: false, superviseIntervalSeconds: 1, monitorIntervalSeconds: 1 },
};

const running: RunningWorker[] = [];
const spareBosses: PgBoss[] = [];

afterEach(async () => {
  await Promise.all(running.splice(0).map((worker) => worker.stop()));
  await Promise.all(spareBosses.splice(0).map((boss) => boss.stop({ graceful: false })));
});

async function startTestWorker(jobs: readonly JobDefinition[] = JOBS) {
  const lines: string[] = [];
  const worker = await startWorker({ databaseUrl, db: prisma, jobs, log: (line) => lines.push(line), ...FAST });
  running.push(worker);
  return { worker, lines };
}

/** A bare pg-boss client on the same database: no workers, no timers. */
async function startBareBoss(): Promise<PgBoss> {
  const boss = createBoss(databaseUrl, { schedule: false, supervise: false });
  boss.on("error", () => undefined);
  await boss.start();
  spareBosses.push(boss);
  return boss;
}

async function waitForJob(boss: PgBoss, name: string, id: string) {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const [job] = await boss.findJobs<object>(name, { id });
    if (job && (job.state === "completed" || job.state === "failed")) return job;
    if (Date.now() > deadline) throw new Error(`job ${id} is still ${job?.state ?? "missing"}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** A CI bot with a fresh owner, written directly (as time, not a mutation, will change it). */
async function createIdentityRow(purpose: string, nextReviewInDays: number) {
  const { user } = await createTestUser();
  return prisma.aiIdentity.create({
    data: {
      name: `ci-bot-${randomBytes(4).toString("hex")}`,
      kind: "CI_BOT",
      purpose,
      environment: "DEV",
      ownerId: user.id,
      expiresAt: new Date(Date.now() + 180 * DAY_MS),
      nextReviewAt: new Date(Date.now() + nextReviewInDays * DAY_MS),
    },
  });
}

/** An identity whose stored rating was right when written and is out of date now, as time alone makes it. */
async function createStaleIdentity() {
  const identity = await createIdentityRow("runs the test suite", 60);
  await prisma.credential.create({
    data: {
      identityId: identity.id,
      type: "API_KEY",
      label: "CI key",
      fingerprint: `sha256:${randomBytes(8).toString("hex")}`,
      issuedAt: new Date(),
      expiresAt: new Date(Date.now() + 365 * DAY_MS),
      lastUsedAt: new Date(),
    },
  });
  await prisma.$transaction((tx) => recomputeRisk(tx, identity.id));
  // Time passes: the key is now 400 days old, with nothing written through Warrant.
  await prisma.$executeRaw`UPDATE "Credential" SET "issuedAt" = now() - interval '400 days' WHERE "identityId" = ${identity.id}`;
  const stored = await rating(identity.id);
  expect(stored).toEqual({ riskTier: "LOW", riskReasons: [] });
  return identity.id;
}

function rating(identityId: string) {
  return prisma.aiIdentity.findUniqueOrThrow({ where: { id: identityId }, select: { riskTier: true, riskReasons: true } });
}

const RE_RATED = { riskTier: "MEDIUM", riskReasons: ["long-lived API key 400 days old"] };

async function recomputeEvents(afterSeq = 0n) {
  return prisma.auditEvent.findMany({ where: { action: "risk.recomputed", seq: { gt: afterSeq } }, orderBy: { seq: "asc" } });
}

async function lastAuditSeq(): Promise<bigint> {
  return (await prisma.auditEvent.findFirst({ orderBy: { seq: "desc" }, select: { seq: true } }))?.seq ?? 0n;
}

describe("the job worker", () => {
  it("re-rates stale identities when risk.recompute arrives through the queue, and a second run changes nothing", async () => {
    const identityId = await createStaleIdentity();
    const since = await lastAuditSeq();
    const { worker, lines } = await startTestWorker();

    const first = await worker.boss.send("risk.recompute");
    expect(first).toEqual(expect.any(String));
    const firstJob = await waitForJob(worker.boss, "risk.recompute", first!);
    expect(firstJob.state).toBe("completed");
    expect(firstJob.output).toEqual({ summary: "1 identity changed tier or reasons" });
    expect(await rating(identityId)).toEqual(RE_RATED);
    const [event] = await recomputeEvents(since);
    expect(event).toMatchObject({ actorType: "SYSTEM", actorId: null, actorLabel: "job:risk.recompute", data: { changed: 1 } });

    const second = await worker.boss.send("risk.recompute");
    const secondJob = await waitForJob(worker.boss, "risk.recompute", second!);
    expect(secondJob.state).toBe("completed");
    expect(await rating(identityId)).toEqual(RE_RATED);
    expect((await recomputeEvents(since)).map((e) => e.data)).toEqual([{ changed: 1 }, { changed: 0 }]);

    // One log line per run, naming the job and what it did.
    expect(lines.filter((line) => line.startsWith("risk.recompute"))).toEqual([
      expect.stringMatching(
        new RegExp(`^risk\\.recompute done in \\d+ ms \\(job ${first}, attempt 1 of 4\\): 1 identity changed tier or reasons$`),
      ),
      expect.stringMatching(
        new RegExp(`^risk\\.recompute done in \\d+ ms \\(job ${second}, attempt 1 of 4\\): 0 identities changed tier or reasons$`),
      ),
    ]);
  });

  it("opens the reviews that have come due when reviews.open-due arrives through the queue, once", async () => {
    // Its review date is three days away: inside the notice period.
    const { id: identityId } = await createIdentityRow("deploys previews", 3);
    const { worker } = await startTestWorker();

    const first = await waitForJob(worker.boss, "reviews.open-due", (await worker.boss.send("reviews.open-due"))!);
    expect(first.state).toBe("completed");
    expect(first.output).toEqual({ summary: "1 review opened" });
    const reviews = await prisma.review.findMany({ where: { identityId } });
    expect(reviews).toEqual([expect.objectContaining({ status: "OPEN", trigger: "SCHEDULED" })]);
    const opened = await prisma.auditEvent.findFirstOrThrow({ where: { action: "review.opened", targetId: identityId } });
    expect(opened.actorLabel).toBe("job:reviews.open-due");

    const second = await waitForJob(worker.boss, "reviews.open-due", (await worker.boss.send("reviews.open-due"))!);
    expect(second.output).toEqual({ summary: "0 reviews opened" });
    expect(await prisma.review.count({ where: { identityId } })).toBe(1);
  });

  it("retries a run that failed, and the retry completes the work", async () => {
    const identityId = await createStaleIdentity();
    const since = await lastAuditSeq();
    let attempts = 0;
    const flaky: JobDefinition = {
      ...riskJob,
      queue: { retryDelay: 0, retryBackoff: false },
      async run(ctx) {
        attempts += 1;
        if (attempts === 1) throw new Error("connection reset mid-run");
        return riskJob.run(ctx);
      },
    };
    const { worker, lines } = await startTestWorker([flaky]);

    const id = await worker.boss.send(flaky.name);
    const job = await waitForJob(worker.boss, flaky.name, id!);
    expect(job.state).toBe("completed");
    expect(job.retryCount).toBe(1);
    expect(attempts).toBe(2);
    expect(await rating(identityId)).toEqual(RE_RATED);
    // The failed attempt recorded nothing; the retry recorded the one sweep.
    expect((await recomputeEvents(since)).map((e) => e.data)).toEqual([{ changed: 1 }]);
    expect(lines.filter((line) => line.startsWith("risk.recompute"))).toEqual([
      expect.stringMatching(/^risk\.recompute FAILED in \d+ ms \(job .+, attempt 1 of 4, it will be retried\): connection reset mid-run$/),
      expect.stringMatching(/^risk\.recompute done in \d+ ms \(job .+, attempt 2 of 4\): 1 identity changed tier or reasons$/),
    ]);
  });

  it("picks up a job whose worker died while running it, once the job expires", async () => {
    const identityId = await createStaleIdentity();
    const crashy: JobDefinition = { ...riskJob, queue: { expireInSeconds: 2, retryDelay: 0, retryBackoff: false } };

    // A worker claims the job, as it does before running it, and then its process is gone.
    const doomed = await startBareBoss();
    await registerJobs(doomed, [crashy]);
    const id = await doomed.send(crashy.name);
    const [claimed] = await doomed.fetch(crashy.name);
    expect(claimed?.id).toBe(id);
    await doomed.stop({ graceful: false });
    const observer = await startBareBoss();
    expect((await observer.findJobs(crashy.name, { id: id! }))[0]?.state).toBe("active");
    expect(await rating(identityId)).toEqual({ riskTier: "LOW", riskReasons: [] });

    const { lines } = await startTestWorker([crashy]);
    const job = await waitForJob(observer, crashy.name, id!);
    expect(job.state).toBe("completed");
    expect(job.retryCount).toBe(1);
    expect(await rating(identityId)).toEqual(RE_RATED);
    expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^risk\\.recompute done in \\d+ ms \\(job ${id}, attempt 2 of 4\\)`)));
  });

  it("registers one schedule per registry entry, however many workers start, and drops schedules of removed jobs", async () => {
    const bare = await startBareBoss();
    await bare.createQueue("retired.job");
    await bare.schedule("retired.job", "*/5 * * * *");

    const { worker } = await startTestWorker();
    await startTestWorker(); // a second worker on the same database
    await registerJobs(worker.boss); // and a restart

    const schedules = await worker.boss.getSchedules();
    const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);
    expect(schedules.map(({ name, key, cron, timezone }) => ({ name, key, cron, timezone })).sort(byName)).toEqual(
      JOBS.map((job) => ({ name: job.name, key: "", cron: job.cron, timezone: "UTC" })).sort(byName),
    );
    expect(schedules[0]?.options).toMatchObject({ tz: "UTC", missed: "once" });

    // Queue settings follow the registry, including on an existing queue.
    expect(await worker.boss.getQueue("risk.recompute")).toMatchObject({
      policy: "stately",
      retryLimit: 3,
      heartbeatSeconds: 60,
      expireInSeconds: 1800,
    });
    await registerJobs(worker.boss, [{ ...riskJob, queue: { retryLimit: 5 } }]);
    expect(await worker.boss.getQueue("risk.recompute")).toMatchObject({ retryLimit: 5 });
  });

  it("stops gracefully: a running job finishes before stop() returns", async () => {
    const since = await lastAuditSeq();
    let handlerStarted!: () => void;
    const started = new Promise<void>((resolve) => (handlerStarted = resolve));
    const slow: JobDefinition = {
      ...riskJob,
      async run(ctx) {
        handlerStarted();
        await new Promise((resolve) => setTimeout(resolve, 1500));
        return riskJob.run(ctx);
      },
    };
    const { worker, lines } = await startTestWorker([slow]);
    const id = await worker.boss.send(slow.name);
    await started;

    await worker.stop();
    expect(lines.slice(-2)).toEqual([expect.stringMatching(/^risk\.recompute done in \d+ ms/), "Stopped."]);
    const [job] = await prisma.$queryRaw<{ state: string }[]>`SELECT state::text FROM pgboss.job WHERE id = ${id}::uuid`;
    expect(job?.state).toBe("completed");
    expect(await recomputeEvents(since)).toHaveLength(1);
  });
});

describe("pg-boss's tables", () => {
  const run = promisify(execFile);
  const diffDatabaseAgainstMigrations = async () => {
    try {
      await run(
        "node",
        ["scripts/prisma.mjs", "migrate", "diff", "--from-config-datasource", "--to-migrations", "prisma/migrations", "--exit-code"],
        { env: { ...process.env } },
      );
      return 0;
    } catch (error) {
      return (error as { code: number }).code;
    }
  };

  it("live in their own schema, which neither our migration runner nor Prisma's drift check sees", async () => {
    await startTestWorker();
    const [tables] = await prisma.$queryRaw<{ pgboss: bigint; public: bigint }[]>`
      SELECT count(*) FILTER (WHERE table_schema = 'pgboss') AS pgboss,
             count(*) FILTER (WHERE table_schema = 'public' AND table_name IN ('job', 'queue', 'schedule', 'version')) AS public
      FROM information_schema.tables`;
    expect(tables!.pgboss).toBeGreaterThan(0n);
    expect(tables!.public).toBe(0n);

    expect((await applyMigrations(databaseUrl)).applied).toEqual([]);
    expect(await diffDatabaseAgainstMigrations()).toBe(0);
    // The same check does see a table that lands in Prisma's schema.
    await prisma.$executeRaw`CREATE TABLE "NotInAnyMigration" (id int)`;
    try {
      expect(await diffDatabaseAgainstMigrations()).toBe(2);
    } finally {
      await prisma.$executeRaw`DROP TABLE "NotInAnyMigration"`;
    }
  });
});
