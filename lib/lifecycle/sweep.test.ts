import { spawn } from "node:child_process";
import { beforeEach, describe, expect, it } from "vitest";
import { executeMutation } from "@/lib/auth/mutation";
import type { Actor } from "@/lib/auth/actor";
import { prisma } from "@/lib/db/client";
import { createTestUser, refused } from "@/lib/testing/factories";
import { DAY_MS } from "@/lib/time";
import { setNotificationPreferences, preferencesOf } from "./preferences";
import { updateLifecycleSettings, DEFAULT_LIFECYCLE_SETTINGS } from "./settings";
import { sendDueNotices } from "./sweep";

// The sweep's promise: every notice once, whether the sweep runs twice, two
// run at once, or a worker dies half-way through and the sweep runs again.

const system: Actor = { kind: "system", label: "test" };

beforeEach(async () => {
  await prisma.$executeRaw`TRUNCATE "LifecycleNotice", "DigestEntry", "NotificationMessage", "Review" CASCADE`;
  await prisma.setting.deleteMany({ where: { key: "lifecycle" } });
});

/** `count` live identities, spread over `owners`, each with an open review due in 5 days (opened 10 days ago). */
async function identitiesWithReviewsDueSoon(prefix: string, count: number, ownerIds: string[], now: Date) {
  await prisma.$executeRaw`
    INSERT INTO "AiIdentity" ("id", "name", "kind", "purpose", "environment", "status", "ownerId", "expiresAt", "nextReviewAt", "updatedAt")
    SELECT ${prefix} || n, ${prefix} || '-agent-' || n, 'CODING_AGENT', 'Writes code', 'DEV', 'ACTIVE',
           (${ownerIds}::text[])[1 + n % ${ownerIds.length}], ${new Date(now.getTime() + 300 * DAY_MS)}, ${new Date(now.getTime() + 5 * DAY_MS)}, now()
    FROM generate_series(1, ${count}) AS n`;
  await prisma.$executeRaw`
    INSERT INTO "Review" ("id", "identityId", "trigger", "openedAt", "dueAt")
    SELECT 'review-' || ${prefix} || n, ${prefix} || n, 'SCHEDULED', ${new Date(now.getTime() - 10 * DAY_MS)}, ${new Date(now.getTime() + 5 * DAY_MS)}
    FROM generate_series(1, ${count}) AS n`;
}

async function remindersPerReview(prefix: string) {
  const rows = await prisma.$queryRaw<{ subject: string; copies: number }[]>`
    SELECT "subject", count(*)::int AS "copies" FROM "NotificationMessage"
    WHERE "event" = 'review.reminder' AND "channel" = 'EMAIL' AND "subject" LIKE ${`%${prefix}-agent-%`}
    GROUP BY "subject"`;
  return rows;
}

describe("the lifecycle sweep", () => {
  it("sends each notice once when two sweeps run at the same time", async () => {
    const owners = await Promise.all([createTestUser(), createTestUser(), createTestUser()]);
    const now = new Date();
    await identitiesWithReviewsDueSoon(
      "both",
      450,
      owners.map((owner) => owner.user.id),
      now,
    );
    const [first, second] = await Promise.all([sendDueNotices(prisma, system, now), sendDueNotices(prisma, system, now)]);
    expect(first["review.due-soon"]! + second["review.due-soon"]!).toBe(450);
    const reminders = await remindersPerReview("both");
    expect(reminders).toHaveLength(450);
    expect(reminders.every((row) => row.copies === 1)).toBe(true);
    expect(Object.values(await sendDueNotices(prisma, system, now)).every((count) => count === 0)).toBe(true);
  });

  it(
    "after a worker is killed in the middle of a sweep, the next sweep sends exactly what the dead one had not",
    { timeout: 120_000 },
    async () => {
      const owners = await Promise.all([createTestUser(), createTestUser()]);
      const now = new Date();
      await identitiesWithReviewsDueSoon(
        "crash",
        1000,
        owners.map((owner) => owner.user.id),
        now,
      );
      // The third batch stalls inside its transaction, after its ledger rows and before its commit: the worker is killed there.
      await prisma.$executeRawUnsafe(`
      CREATE FUNCTION stall_third_batch() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF (SELECT count(*) FROM "LifecycleNotice") > 400 THEN PERFORM pg_sleep(120); END IF;
        RETURN NULL;
      END $$`);
      await prisma.$executeRawUnsafe(
        `CREATE TRIGGER stall_third_batch AFTER INSERT ON "LifecycleNotice" FOR EACH STATEMENT EXECUTE FUNCTION stall_third_batch()`,
      );
      const worker = spawn("npx", ["tsx", "lib/cli/main.ts", "jobs:run", "lifecycle.notify"], {
        env: process.env,
        detached: true,
        stdio: "ignore",
      });
      try {
        const deadline = Date.now() + 90_000;
        for (;;) {
          const [stalled] = await prisma.$queryRaw<{ count: number }[]>`
          SELECT count(*)::int AS "count" FROM pg_stat_activity WHERE "wait_event" = 'PgSleep' AND "datname" = current_database()`;
          if (stalled!.count > 0) break;
          if (Date.now() > deadline) throw new Error("the worker never reached its third batch");
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      } finally {
        process.kill(-worker.pid!, "SIGKILL");
        // The dead worker's connection ends with it (the server notices at once here, as it would after a crash).
        await prisma.$queryRaw`SELECT pg_terminate_backend("pid") FROM pg_stat_activity WHERE "wait_event" = 'PgSleep' AND "datname" = current_database()`;
        await prisma.$executeRawUnsafe(`DROP TRIGGER stall_third_batch ON "LifecycleNotice"`);
        await prisma.$executeRawUnsafe(`DROP FUNCTION stall_third_batch()`);
      }
      // Two batches committed before the crash; the third left nothing behind.
      expect(await prisma.lifecycleNotice.count()).toBe(400);
      expect(await remindersPerReview("crash")).toHaveLength(400);

      const rerun = await sendDueNotices(prisma, system, now);
      expect(rerun["review.due-soon"]).toBe(600);
      const reminders = await remindersPerReview("crash");
      expect(reminders).toHaveLength(1000);
      expect(reminders.every((row) => row.copies === 1)).toBe(true);
    },
  );

  it("escalates to the security leads after the number of days they set", async () => {
    const lead = await createTestUser(["SECURITY_LEAD"]);
    const owner = await createTestUser();
    const now = new Date();
    await identitiesWithReviewsDueSoon("late", 1, [owner.user.id], now);
    await prisma.review.updateMany({ data: { dueAt: new Date(now.getTime() - 4 * DAY_MS) } });
    expect((await sendDueNotices(prisma, system, now))["review.escalated"]).toBe(0);
    await executeMutation(updateLifecycleSettings, lead.actor, { ...DEFAULT_LIFECYCLE_SETTINGS, escalationDays: 3 });
    expect((await sendDueNotices(prisma, system, now))["review.escalated"]).toBe(1);
    const escalation = await prisma.notificationMessage.findFirstOrThrow({ where: { event: "review.escalated" } });
    expect(escalation.recipient).toBe(lead.user.email);
    expect(escalation.subject).toBe("Escalated: the review of late-agent-1 (DEV) is 4 days overdue");
  });
});

describe("notification choices", () => {
  it("are each person's own: email by default, digest or none per kind, audited", async () => {
    const person = await createTestUser();
    expect((await preferencesOf(prisma, person.user.id))["review.overdue"]).toBe("EMAIL");
    await executeMutation(setNotificationPreferences, person.actor, { "review.overdue": "NONE", "identity.expiring": "DIGEST" });
    const now = await preferencesOf(prisma, person.user.id);
    expect(now).toMatchObject({ "review.overdue": "NONE", "identity.expiring": "DIGEST", "review.opened": "EMAIL" });
    const event = await prisma.auditEvent.findFirstOrThrow({
      where: { action: "notifications.preferences_changed", targetId: person.user.id },
    });
    expect(event.data).toEqual({ "review.overdue": { from: "EMAIL", to: "NONE" }, "identity.expiring": { from: "EMAIL", to: "DIGEST" } });
  });

  it("cannot mute escalations or suspensions, and name the field of a bad choice", async () => {
    const person = await createTestUser();
    const muted = await refused(executeMutation(setNotificationPreferences, person.actor, { "review.escalated": "NONE" }));
    expect(muted.status).toBe(422);
    expect(JSON.stringify(muted.fields)).toContain("review.escalated");
    const bad = await refused(executeMutation(setNotificationPreferences, person.actor, { "review.opened": "SMOKE_SIGNAL" }));
    expect(bad.fields).toEqual({ "review.opened": "must be one of EMAIL, DIGEST, NONE" });
    expect(await prisma.notificationPreference.count({ where: { userId: person.user.id } })).toBe(0);
  });

  it("settings: only security leads change them, and a bad number names its field", async () => {
    const member = await createTestUser();
    const lead = await createTestUser(["SECURITY_LEAD"]);
    expect((await refused(executeMutation(updateLifecycleSettings, member.actor, DEFAULT_LIFECYCLE_SETTINGS))).status).toBe(403);
    const bad = await refused(executeMutation(updateLifecycleSettings, lead.actor, { ...DEFAULT_LIFECYCLE_SETTINGS, escalationDays: 0 }));
    expect(bad.fields).toEqual({ escalationDays: "must be at least 1 day" });
    expect(await prisma.setting.count({ where: { key: "lifecycle" } })).toBe(0);
  });
});
