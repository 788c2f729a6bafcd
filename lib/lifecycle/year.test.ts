import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Actor } from "@/lib/auth/actor";
import { executeMutation } from "@/lib/auth/mutation";
import { prisma } from "@/lib/db/client";
import { createCredential } from "@/lib/inventory/credentials";
import { expireDueIdentities } from "@/lib/inventory/expiry";
import { createIdentity } from "@/lib/inventory/identities";
import { deliverDueNotifications } from "@/lib/notifications/deliver";
import { createWebhook } from "@/lib/notifications/webhooks";
import { openDueReviews } from "@/lib/reviews/due";
import { suspendOverdueIdentities } from "@/lib/reviews/overdue";
import { attestReview } from "@/lib/reviews/reviews";
import { createTestUser, switchOffApprovals } from "@/lib/testing/factories";
import { startHttpCapture, startSmtpCapture } from "@/lib/testing/receivers";
import { deactivateUser } from "@/lib/users/mutations";
import { DAY_MS } from "@/lib/time";
import { sendDigests } from "./digest";
import { setNotificationPreferences } from "./preferences";
import { sendDueNotices } from "./sweep";

// A year of the lifecycle for five identities, with the clock driven day by
// day: every scheduled job runs each simulated morning (the notice sweep twice,
// to prove a second run sends nothing), and what arrives at a real SMTP server
// and a real webhook receiver is compared with what each person should have
// been told, on which day, exactly once.

const T0 = new Date("2027-01-04T09:00:00.000Z"); // a Monday
const DAYS = 365;
const system: Actor = { kind: "system", label: "test" };

let smtp: Awaited<ReturnType<typeof startSmtpCapture>>;
let receiver: Awaited<ReturnType<typeof startHttpCapture>>;
/** Each email with the simulated day it arrived on. */
const received: { day: number; to: string; subject: string; messageId: string; raw: string }[] = [];

beforeAll(async () => {
  smtp = await startSmtpCapture();
  receiver = await startHttpCapture();
});

afterAll(async () => {
  vi.useRealTimers();
  await smtp.close();
  await receiver.close();
});

describe("a year of reviews, reminders, escalations, suspensions and expiries", () => {
  it("tells each person what they should hear, on the right day, exactly once", { timeout: 600_000 }, async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(T0);
    await switchOffApprovals();
    const admin = await createTestUser(["ADMIN"], { email: "admin@example.com" });
    await createTestUser(["SECURITY_LEAD"], { email: "lead@example.com" });
    const prompt = await createTestUser([], { email: "prompt@example.com" });
    const silent = await createTestUser([], { email: "silent@example.com" });
    const expiring = await createTestUser([], { email: "expiring@example.com" });
    const leaver = await createTestUser([], { email: "leaver@example.com" });
    const digest = await createTestUser([], { email: "digest@example.com" });
    await executeMutation(createWebhook, admin.actor, { name: "siem", url: receiver.url });

    const register = (name: string, ownerId: string, reviewCadenceDays: number, expiresInDays: number) =>
      executeMutation(createIdentity, system, {
        name,
        kind: "CODING_AGENT",
        purpose: "Writes code in review branches",
        environment: "DEV",
        autonomy: "SUGGEST",
        ownerId,
        reviewCadenceDays,
        expiresAt: new Date(T0.getTime() + expiresInDays * DAY_MS).toISOString(),
      });
    // Attests every review ten days after it opens (after the 7-day reminder).
    const a = await register("prompt-agent", prompt.user.id, 90, 420);
    // Never attests: reminded, escalated, then suspended.
    await register("silent-agent", silent.user.id, 30, 420);
    // Reaches its expiry date within the year.
    await register("expiring-agent", expiring.user.id, 365, 100);
    // Its owner leaves on day 1 and nobody backs it up: the security leads are told instead.
    await register("orphan-agent", leaver.user.id, 200, 420);
    // Its owner chose the daily digest for openings and reminders, and nothing for overdue reminders.
    await register("digest-agent", digest.user.id, 90, 420);
    await executeMutation(setNotificationPreferences, digest.actor, {
      "review.opened": "DIGEST",
      "review.reminder": "DIGEST",
      "review.overdue": "NONE",
    });
    // Past its 30-day rotation period from day 30 on: its owner hears of it weekly.
    await executeMutation(createCredential, prompt.actor, {
      identityId: a.id,
      type: "API_KEY",
      label: "ci key",
      fingerprint: "sha256:prompt-ci-key",
      issuedAt: T0.toISOString(),
      rotationPeriodDays: 30,
    });

    const settings = {
      smtp: { url: smtp.url, from: "Warrant <warrant@example.com>" },
      baseUrl: "https://warrant.example.com",
      allowPrivateWebhooks: true,
    };
    for (let day = 0; day <= DAYS; day++) {
      const now = new Date(T0.getTime() + day * DAY_MS);
      vi.setSystemTime(now);
      if (day === 1) await executeMutation(deactivateUser, admin.actor, { userId: leaver.user.id });
      await openDueReviews(prisma, system, now);
      await sendDueNotices(prisma, system, now);
      const again = await sendDueNotices(prisma, system, now);
      expect(
        Object.values(again).every((count) => count === 0),
        `day ${day}: a second sweep sent ${JSON.stringify(again)}`,
      ).toBe(true);
      await suspendOverdueIdentities(prisma, system, now);
      await expireDueIdentities(prisma, system, now);
      await sendDigests(prisma, system, now);
      const before = smtp.mails.length;
      await deliverDueNotifications(prisma, { ...settings, now });
      for (const mail of smtp.mails.slice(before)) {
        for (const to of mail.to) received.push({ day, to, subject: mail.subject, messageId: mail.messageId, raw: mail.raw });
      }
      // The prompt owner attests ten days after a review opens.
      const open = await prisma.review.findFirst({ where: { identityId: a.id, status: "OPEN" } });
      if (open && now.getTime() - open.openedAt.getTime() >= 10 * DAY_MS) {
        await executeMutation(attestReview, prompt.actor, {
          reviewId: open.id,
          stillNeeded: true,
          purposeUnchanged: true,
          permissionsMinimal: true,
          credentialsRotated: true,
          outcome: "KEEP",
          grantIds: [],
        });
      }
    }

    const to = (address: string) => received.filter((mail) => mail.to === address).map((mail) => `${mail.day}: ${mail.subject}`);
    const dueIn7 = (name: string) => `Review due in 7 days: ${name} (DEV)`;
    const opened = (name: string, due: string) => `Review opened: ${name} (DEV), due ${due}`;
    const dayOf = (offset: number) => new Date(T0.getTime() + offset * DAY_MS).toISOString().slice(0, 10);

    // Reviews every 90 days, each attested after the 7-day reminder; the weekly credential report from
    // the week its rotation came due (past due from day 31, a Thursday) to the year's last Monday (day 364).
    const weekly = Array.from({ length: (364 - 28) / 7 + 1 }, (_, week) => 28 + week * 7).map(
      (monday) => `${monday === 28 ? 31 : monday}: 1 credential of yours needs rotating or retiring`,
    );
    const promptCycles = [76, 162, 248, 334].flatMap((openedOn) => [
      `${openedOn}: ${opened("prompt-agent", dayOf(openedOn + 14))}`,
      `${openedOn + 7}: ${dueIn7("prompt-agent")}`,
    ]);
    expect(to("prompt@example.com").sort()).toEqual([...promptCycles, ...weekly].sort());

    expect(to("silent@example.com")).toEqual([
      `16: ${opened("silent-agent", dayOf(30))}`,
      `23: ${dueIn7("silent-agent")}`,
      `30: Review due today: silent-agent (DEV)`,
      `33: Review overdue by 3 days: silent-agent (DEV)`,
      `36: Review overdue by 6 days: silent-agent (DEV)`,
      `39: Review overdue by 9 days: silent-agent (DEV)`,
      `42: Review overdue by 12 days: silent-agent (DEV)`,
      `44: Suspended: silent-agent (DEV), its review is 14 days overdue`,
    ]);

    expect(to("expiring@example.com")).toEqual([
      `86: expiring-agent (DEV) expires in 14 days, on ${dayOf(100)}`,
      `93: expiring-agent (DEV) expires in 7 days, on ${dayOf(100)}`,
      `99: expiring-agent (DEV) expires in 1 day, on ${dayOf(100)}`,
      `100: Expired: expiring-agent (DEV)`,
    ]);

    // The leaver hears nothing once deactivated; the digest owner gets one digest a day with something in it,
    // no overdue reminders (their choice) and the suspension (nobody may mute that).
    expect(to("leaver@example.com")).toEqual([]);
    expect(to("digest@example.com")).toEqual([
      `76: Warrant digest: 1 update`,
      `83: Warrant digest: 1 update`,
      `90: Warrant digest: 1 update`,
      `104: Suspended: digest-agent (DEV), its review is 14 days overdue`,
    ]);
    const firstDigest = received.find((mail) => mail.to === "digest@example.com")!;
    expect(firstDigest.raw).toContain(opened("digest-agent", dayOf(90)));

    // The security leads: escalations, suspensions, and every message about the orphan.
    expect(to("lead@example.com")).toEqual([
      `37: Escalated: the review of silent-agent (DEV) is 7 days overdue`,
      `44: Suspended: silent-agent (DEV), its review is 14 days overdue`,
      `97: Escalated: the review of digest-agent (DEV) is 7 days overdue`,
      `104: Suspended: digest-agent (DEV), its review is 14 days overdue`,
      `186: ${opened("orphan-agent", dayOf(200))}`,
      `193: ${dueIn7("orphan-agent")}`,
      `200: Review due today: orphan-agent (DEV)`,
      `203: Review overdue by 3 days: orphan-agent (DEV)`,
      `206: Review overdue by 6 days: orphan-agent (DEV)`,
      `207: Escalated: the review of orphan-agent (DEV) is 7 days overdue`,
      `209: Review overdue by 9 days: orphan-agent (DEV)`,
      `212: Review overdue by 12 days: orphan-agent (DEV)`,
      `214: Suspended: orphan-agent (DEV), its review is 14 days overdue`,
    ]);
    expect(to("admin@example.com")).toEqual([]);

    // Every email once; the webhook got every notice once (digests are personal and not sent there).
    expect(new Set(received.map((mail) => `${mail.to} ${mail.messageId}`)).size).toBe(received.length);
    const hooked = receiver.hits.map((hit) => (JSON.parse(hit.body) as { data: { noticeKey: string } }).data.noticeKey);
    const ledger = (await prisma.lifecycleNotice.findMany({ select: { key: true } })).map((notice) => notice.key);
    expect(new Set(hooked).size).toBe(hooked.length);
    expect([...hooked].sort()).toEqual([...ledger].sort());
    expect(ledger).toHaveLength(57 + 9 + 4 + 9 + 9);
  });
});
