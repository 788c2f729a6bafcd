import { createHmac } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { executeMutation } from "@/lib/auth/mutation";
import type { Actor } from "@/lib/auth/actor";
import { prisma, type Db } from "@/lib/db/client";
import { runJob } from "@/lib/jobs/job";
import { findJob } from "@/lib/jobs/registry";
import { createTestUser, refused } from "@/lib/testing/factories";
import { backoffMs, deliverDueNotifications, LEASE_MS, MAX_ATTEMPTS, type DeliverySettings } from "./deliver";
import { enqueueNotification, enqueueNotifications, type NotificationInput } from "./outbox";
import { listWebhooks } from "./queries";
import { createWebhook, deactivateWebhook, deleteWebhook, retryNotification } from "./webhooks";

// The outbox end to end: messages are written in a transaction, the delivery
// run sends them to a real SMTP server and a real HTTP receiver started here,
// and the tests assert on what arrived there.

interface Mail {
  from: string;
  to: string[];
  raw: string;
}
interface Hit {
  headers: http.IncomingHttpHeaders;
  body: string;
}

const mails: Mail[] = [];
const hits: Hit[] = [];
/** Status codes the receiver answers with, one per request; 200 once they run out. */
let answers: number[] = [];
/** Keeps this many next responses open until the test answers them from `held`. */
let holdNext = 0;
const held: http.ServerResponse[] = [];
let smtp: SMTPServer;
let receiver: http.Server;
let smtpUrl: string;
let receiverUrl: string;
let admin: Actor;

beforeAll(async () => {
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => {
        mails.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
          to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
          raw: Buffer.concat(chunks).toString("utf8"),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, "127.0.0.1", resolve));
  smtpUrl = `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}`;

  receiver = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      hits.push({ headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
      // ?hold=1: a receiver that takes the request and never answers.
      if (req.url?.includes("hold=1")) return;
      if (holdNext > 0) {
        holdNext -= 1;
        held.push(res);
        return;
      }
      res.statusCode = answers.shift() ?? 200;
      if (res.statusCode === 302) res.setHeader("location", "http://169.254.169.254/latest/meta-data/");
      res.end("ok");
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks/warrant`;
  admin = (await createTestUser(["ADMIN"])).actor;
});

afterAll(async () => {
  receiver.closeAllConnections();
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
  await new Promise<void>((resolve) => receiver.close(() => resolve()));
});

beforeEach(async () => {
  mails.length = 0;
  hits.length = 0;
  answers = [];
  holdNext = 0;
  held.length = 0;
  await prisma.notificationMessage.deleteMany();
  await prisma.webhook.deleteMany();
});

const settings = (overrides: Partial<DeliverySettings> = {}): DeliverySettings => ({
  smtp: { url: smtpUrl, from: "Warrant <warrant@example.com>" },
  baseUrl: "https://warrant.example.com",
  // The receiver listens on loopback; the refusal of private addresses has its own test.
  allowPrivateWebhooks: true,
  ...overrides,
});

const notification = (overrides: Partial<NotificationInput> = {}): NotificationInput => ({
  event: "approval.requested",
  subject: "Approval needed: DEPLOY on payments-prod for claude-ci",
  text: "claude-ci asks for DEPLOY on payments-prod.\nReason: ship the hotfix.",
  link: "/approvals/req123",
  recipientUserIds: [],
  data: { requestId: "req123", permission: "DEPLOY" },
  ...overrides,
});

async function enqueue(input: NotificationInput) {
  await prisma.$transaction((tx) => enqueueNotification(tx, input));
}

async function addWebhook(input: { name?: string; url?: string; format?: string; events?: string[] | string } = {}) {
  return executeMutation(createWebhook, admin, { name: "ops", url: receiverUrl, ...input });
}

const at = (base: Date, ms: number) => new Date(base.getTime() + ms);

/** Waits until `done()` holds, checking every 20 ms, for at most 10 s. */
async function until(done: () => boolean) {
  for (let waited = 0; !done(); waited += 20) {
    if (waited > 10_000) throw new Error("gave up waiting");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe("email", () => {
  it("sends one email per active recipient, deduplicated, with the link made absolute and a Message-ID from the message id", async () => {
    const alice = await createTestUser([], { email: "alice@example.com" });
    const bob = await createTestUser([], { email: "bob@example.com" });
    const gone = await createTestUser([], { email: "gone@example.com", active: false });
    await enqueue(notification({ recipientUserIds: [alice.user.id, bob.user.id, alice.user.id, gone.user.id] }));

    const report = await deliverDueNotifications(prisma, settings());

    expect(report).toMatchObject({ sent: 2, retrying: 0, failed: 0 });
    expect(mails.map((mail) => mail.to).sort()).toEqual([["alice@example.com"], ["bob@example.com"]]);
    const rows = await prisma.notificationMessage.findMany({ orderBy: { recipient: "asc" } });
    expect(rows.map((row) => [row.recipient, row.status, row.attempts])).toEqual([
      ["alice@example.com", "SENT", 1],
      ["bob@example.com", "SENT", 1],
    ]);
    const toAlice = mails.find((mail) => mail.to[0] === "alice@example.com")!;
    expect(toAlice.from).toBe("warrant@example.com");
    expect(toAlice.raw).toMatch(/^Subject: Approval needed: DEPLOY on payments-prod for claude-ci\r$/m);
    expect(toAlice.raw).toMatch(/^From: Warrant <warrant@example\.com>\r$/m);
    expect(toAlice.raw).toContain(`Message-ID: <notification.${rows[0]!.id}@warrant.example.com>`);
    expect(toAlice.raw).toContain(
      "claude-ci asks for DEPLOY on payments-prod.\r\nReason: ship the hotfix.\r\n\r\nhttps://warrant.example.com/approvals/req123",
    );

    // A second run finds nothing left to send.
    expect(await deliverDueNotifications(prisma, settings())).toMatchObject({ sent: 0 });
    expect(mails).toHaveLength(2);
  });

  it("does not send to someone deactivated after the message was written", async () => {
    const leaver = await createTestUser([]);
    await enqueue(notification({ recipientUserIds: [leaver.user.id] }));
    await prisma.user.update({ where: { id: leaver.user.id }, data: { active: false } });

    expect(await deliverDueNotifications(prisma, settings())).toMatchObject({ sent: 0, failed: 1 });

    expect(mails).toHaveLength(0);
    expect(await prisma.notificationMessage.findFirstOrThrow()).toMatchObject({
      status: "FAILED",
      lastError: "the recipient was deactivated",
    });
  });

  it("stays pending in the outbox, not failed, while no SMTP server is configured; webhooks still go out", async () => {
    const alice = await createTestUser([]);
    await addWebhook();
    await enqueue(notification({ recipientUserIds: [alice.user.id] }));

    const report = await deliverDueNotifications(prisma, settings({ smtp: null }));

    expect(report).toEqual({ sent: 1, retrying: 0, failed: 0, waiting: 1 });
    expect(hits).toHaveLength(1);
    expect(await prisma.notificationMessage.findFirstOrThrow({ where: { channel: "EMAIL" } })).toMatchObject({
      status: "PENDING",
      attempts: 0,
      lastError: null,
    });

    // Once SMTP is configured, the waiting email goes out.
    await deliverDueNotifications(prisma, settings());
    expect(mails.map((mail) => mail.to)).toEqual([[alice.user.email]]);
  });
});

describe("webhooks", () => {
  it("POSTs a JSON body signed with the webhook's secret, with the message id as idempotency key", async () => {
    const { secret } = await addWebhook();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    await enqueue(notification());
    const before = Math.floor(Date.now() / 1000);

    await deliverDueNotifications(prisma, settings());

    expect(hits).toHaveLength(1);
    const [hit] = hits;
    const row = await prisma.notificationMessage.findFirstOrThrow();
    expect(row).toMatchObject({ channel: "WEBHOOK", recipient: "ops", status: "SENT" });
    const expected = `sha256=${createHmac("sha256", secret).update(hit!.body).digest("hex")}`;
    expect(hit!.headers["x-warrant-signature"]).toBe(expected);
    expect(hit!.headers["x-warrant-signature"]).not.toBe(
      `sha256=${createHmac("sha256", "another secret").update(hit!.body).digest("hex")}`,
    );
    expect(hit!.headers["x-warrant-delivery"]).toBe(row.id);
    expect(hit!.headers["x-warrant-event"]).toBe("approval.requested");
    expect(hit!.headers["content-type"]).toBe("application/json");
    expect(Number(hit!.headers["x-warrant-timestamp"])).toBeGreaterThanOrEqual(before);
    expect(JSON.parse(hit!.body)).toEqual({
      id: row.id,
      event: "approval.requested",
      subject: "Approval needed: DEPLOY on payments-prod for claude-ci",
      text: "claude-ci asks for DEPLOY on payments-prod.\nReason: ship the hotfix.",
      link: "https://warrant.example.com/approvals/req123",
      data: { requestId: "req123", permission: "DEPLOY" },
      createdAt: row.createdAt.toISOString(),
    });
  });

  it('sends Slack\'s {"text": …} body to a SLACK webhook, and only the events a webhook asked for', async () => {
    await addWebhook({ name: "slack", format: "SLACK", url: `${receiverUrl}?to=slack` });
    await addWebhook({ name: "reviews only", events: "review.*, identity.expired", url: `${receiverUrl}?to=reviews` });
    await addWebhook({ name: "inactive", url: `${receiverUrl}?to=inactive` }).then((hook) =>
      executeMutation(deactivateWebhook, admin, { webhookId: hook.id }),
    );
    await enqueue(notification());
    await enqueue(
      notification({ event: "review.overdue", subject: "Review overdue: claude-ci", link: undefined, text: "Attest today: <keep> & go." }),
    );

    await deliverDueNotifications(prisma, settings());

    const received = hits.map((hit) => [hit.headers["x-warrant-event"], JSON.parse(hit.body)]);
    expect(received).toHaveLength(3);
    expect(received).toContainEqual([
      "approval.requested",
      {
        text: "*Approval needed: DEPLOY on payments-prod for claude-ci*\nclaude-ci asks for DEPLOY on payments-prod.\nReason: ship the hotfix.\n\nhttps://warrant.example.com/approvals/req123",
      },
    ]);
    // Slack's own markup characters are escaped in its text, and left as they are in the JSON document.
    expect(received).toContainEqual(["review.overdue", { text: "*Review overdue: claude-ci*\nAttest today: &lt;keep&gt; &amp; go." }]);
    expect(received).toContainEqual([
      "review.overdue",
      expect.objectContaining({ event: "review.overdue", text: "Attest today: <keep> & go.", link: null }),
    ]);
    expect(await prisma.notificationMessage.count({ where: { recipient: "inactive" } })).toBe(0);
  });

  it("writes a message for every subscribed webhook however many there are, and none to webhooks for an email-only one", async () => {
    // More webhooks than the spare ids the outbox's statement brings the first time.
    for (let hook = 0; hook < 7; hook += 1) await addWebhook({ name: `hook ${hook}`, url: `${receiverUrl}?to=${hook}` });
    await addWebhook({ name: "reviews only", events: "review.*", url: `${receiverUrl}?to=reviews` });
    const person = await createTestUser([]);
    await prisma.$transaction((tx) =>
      enqueueNotifications(tx, [
        notification({ recipientUserIds: [person.user.id] }),
        notification({ event: "review.overdue", subject: "Review overdue", recipientUserIds: [person.user.id], emailOnly: true }),
        notification({ event: "review.overdue", subject: "Reviews overdue" }),
      ]),
    );

    const rows = await prisma.notificationMessage.findMany({ select: { id: true, subject: true, channel: true, recipient: true } });
    const written = (subject: string) =>
      rows
        .filter((row) => row.subject.startsWith(subject))
        .map((row) => `${row.channel} ${row.recipient}`)
        .sort();
    const hooks = Array.from({ length: 7 }, (_, hook) => `WEBHOOK hook ${hook}`);
    expect(written("Approval needed")).toEqual([`EMAIL ${person.user.email}`, ...hooks]);
    expect(written("Review overdue")).toEqual([`EMAIL ${person.user.email}`]);
    expect(written("Reviews overdue")).toEqual([...hooks, "WEBHOOK reviews only"]);
    expect(new Set(rows.map((row) => row.id)).size).toBe(rows.length);
  });

  it("retries after the receiver answers 500, with backoff, and the retry carries the same body and delivery id", async () => {
    await addWebhook();
    await enqueue(notification());
    answers = [500];
    const t0 = new Date(Date.now() + 1000);

    expect(await deliverDueNotifications(prisma, settings({ now: t0 }))).toMatchObject({ sent: 0, retrying: 1 });
    const waiting = await prisma.notificationMessage.findFirstOrThrow();
    expect(waiting).toMatchObject({ status: "PENDING", attempts: 1, lastError: "HTTP 500 Internal Server Error" });
    expect(waiting.nextAttemptAt).toEqual(at(t0, backoffMs(1)));
    expect(backoffMs(1)).toBe(30_000);

    // Not due before the backoff ends.
    expect(await deliverDueNotifications(prisma, settings({ now: at(t0, 29_000) }))).toMatchObject({ sent: 0, retrying: 0 });
    expect(hits).toHaveLength(1);

    expect(await deliverDueNotifications(prisma, settings({ now: at(t0, 30_000) }))).toMatchObject({ sent: 1 });
    expect(hits).toHaveLength(2);
    expect(hits[1]!.body).toBe(hits[0]!.body);
    expect(hits[1]!.headers["x-warrant-delivery"]).toBe(hits[0]!.headers["x-warrant-delivery"]);
    expect(await prisma.notificationMessage.findFirstOrThrow()).toMatchObject({ status: "SENT", attempts: 2, lastError: null });
  });

  it("marks a message FAILED after the last attempt, and an admin's retry sends it again", async () => {
    await addWebhook();
    await enqueue(notification());
    answers = Array<number>(MAX_ATTEMPTS).fill(503);
    let now = new Date(Date.now() + 1000);
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      await deliverDueNotifications(prisma, settings({ now }));
      now = at(now, backoffMs(attempt));
    }
    expect(hits).toHaveLength(MAX_ATTEMPTS);
    const failed = await prisma.notificationMessage.findFirstOrThrow();
    expect(failed).toMatchObject({ status: "FAILED", attempts: MAX_ATTEMPTS, lastError: "HTTP 503 Service Unavailable", sentAt: null });

    // Nothing more is tried, however late.
    await deliverDueNotifications(prisma, settings({ now: at(now, 7 * 24 * 3600_000) }));
    expect(hits).toHaveLength(MAX_ATTEMPTS);

    const auditor = (await createTestUser(["AUDITOR"])).actor;
    expect((await refused(executeMutation(retryNotification, auditor, { messageId: failed.id }))).status).toBe(403);
    await executeMutation(retryNotification, admin, { messageId: failed.id });
    expect((await refused(executeMutation(retryNotification, admin, { messageId: failed.id }))).message).toBe(
      "Only a failed message can be retried.",
    );
    await deliverDueNotifications(prisma, settings({ now: at(now, 7 * 24 * 3600_000) }));
    expect(hits).toHaveLength(MAX_ATTEMPTS + 1);
    expect(await prisma.notificationMessage.findFirstOrThrow()).toMatchObject({ status: "SENT", attempts: 1 });
    const audit = await prisma.auditEvent.findFirstOrThrow({ where: { action: "notification.retried", targetId: failed.id } });
    expect(audit.data).toMatchObject({ lastError: "HTTP 503 Service Unavailable" });
  });

  it("after a crash between sending and marking, sends once more when the lease ends, with the same delivery id, and never while it lasts", async () => {
    await addWebhook();
    await enqueue(notification());
    const t0 = new Date(Date.now() + 1000);
    // The worker dies after the receiver took the message, before the outcome is written.
    const crashing = new Proxy(prisma, {
      get(target, property) {
        if (property === "notificationMessage") {
          return { ...target.notificationMessage, updateMany: () => Promise.reject(new Error("worker killed")) };
        }
        const value = Reflect.get(target, property) as unknown;
        return typeof value === "function" ? value.bind(target) : value;
      },
    }) as Db;
    await expect(deliverDueNotifications(crashing, settings({ now: t0 }))).rejects.toThrow("worker killed");
    expect(hits).toHaveLength(1);
    expect(await prisma.notificationMessage.findFirstOrThrow()).toMatchObject({ status: "SENDING", attempts: 1 });

    // Other workers leave it alone while the lease lasts…
    await deliverDueNotifications(prisma, settings({ now: at(t0, LEASE_MS - 1000) }));
    expect(hits).toHaveLength(1);

    // …and send it once more when it ends: at least once, the repeat recognisable by its delivery id.
    await deliverDueNotifications(prisma, settings({ now: at(t0, LEASE_MS) }));
    expect(hits).toHaveLength(2);
    expect(hits[1]!.headers["x-warrant-delivery"]).toBe(hits[0]!.headers["x-warrant-delivery"]);
    expect(hits[1]!.body).toBe(hits[0]!.body);
    expect(await prisma.notificationMessage.findFirstOrThrow()).toMatchObject({ status: "SENT", attempts: 2 });
    await deliverDueNotifications(prisma, settings({ now: at(t0, 10 * LEASE_MS) }));
    expect(hits).toHaveLength(2);
  });

  it("gives up on a receiver that does not answer in time or redirects, and tries again later", async () => {
    await addWebhook({ name: "silent", url: `${receiverUrl}?hold=1` });
    await addWebhook({ name: "moved" });
    answers = [302];
    await enqueue(notification());

    expect(await deliverDueNotifications(prisma, settings({ webhookTimeoutMs: 500 }))).toMatchObject({ sent: 0, retrying: 2 });

    const rows = await prisma.notificationMessage.findMany({ orderBy: { recipient: "asc" } });
    expect(rows.map((row) => [row.recipient, row.status, row.lastError])).toEqual([
      ["moved", "PENDING", "HTTP 302 Found (redirects are not followed)"],
      ["silent", "PENDING", "no answer within 0.5 s"],
    ]);
  });

  it("lets a worker that outlived its lease change nothing: the outcome of the attempt after it stands", async () => {
    await addWebhook();
    await enqueue(notification());
    const t0 = new Date(Date.now() + 1000);
    holdNext = 2;

    // Worker A claims the message and waits on a receiver that has not answered yet…
    const workerA = deliverDueNotifications(prisma, settings({ now: t0 }));
    await expect.poll(() => held.length).toBe(1);
    // …its lease ends, and worker B claims the message and sends it again.
    const workerB = deliverDueNotifications(prisma, settings({ now: at(t0, LEASE_MS) }));
    await expect.poll(() => held.length).toBe(2);
    // A's request fails while B's is still out: A's mark must change nothing…
    held[0]!.statusCode = 500;
    held[0]!.end();
    expect(await workerA).toEqual({ sent: 0, retrying: 0, failed: 0, waiting: 0 });
    expect(await prisma.notificationMessage.findFirstOrThrow()).toMatchObject({ status: "SENDING", attempts: 2 });
    // …and B's success is what stays.
    held[1]!.end();
    expect(await workerB).toMatchObject({ sent: 1 });

    expect(await prisma.notificationMessage.findFirstOrThrow()).toMatchObject({ status: "SENT", attempts: 2, lastError: null });
    await deliverDueNotifications(prisma, settings({ now: at(t0, 10 * LEASE_MS) }));
    expect(hits).toHaveLength(2);
  });

  it("refuses private addresses unless allowed, at once and without retrying", async () => {
    await addWebhook({ name: "loopback name", url: receiverUrl.replace("127.0.0.1", "localhost") });
    await addWebhook({ name: "loopback address" });
    await enqueue(notification());

    expect(await deliverDueNotifications(prisma, settings({ allowPrivateWebhooks: false }))).toMatchObject({ failed: 2 });

    expect(hits).toHaveLength(0);
    const rows = await prisma.notificationMessage.findMany({ orderBy: { recipient: "asc" } });
    expect(rows.map((row) => [row.recipient, row.status, row.lastError])).toEqual([
      ["loopback address", "FAILED", "127.0.0.1 is a private address (set WARRANT_WEBHOOKS_ALLOW_PRIVATE=1 to allow it)"],
      [
        "loopback name",
        "FAILED",
        expect.stringMatching(/^localhost resolves to (127\.0\.0\.1|::1), a private address \(set WARRANT_WEBHOOKS_ALLOW_PRIVATE=1/),
      ],
    ]);
  });

  it("gives up messages waiting for a webhook that was deactivated or deleted", async () => {
    const kept = await addWebhook({ name: "deactivated" });
    const removed = await addWebhook({ name: "deleted" });
    await enqueue(notification());
    await executeMutation(deactivateWebhook, admin, { webhookId: kept.id });
    await executeMutation(deleteWebhook, admin, { webhookId: removed.id });

    await deliverDueNotifications(prisma, settings());

    expect(hits).toHaveLength(0);
    const rows = await prisma.notificationMessage.findMany({ orderBy: { recipient: "asc" } });
    expect(rows.map((row) => [row.recipient, row.status, row.lastError])).toEqual([
      ["deactivated", "FAILED", "the webhook was deactivated"],
      ["deleted", "FAILED", "the webhook was deleted"],
    ]);
    expect((await refused(executeMutation(retryNotification, admin, { messageId: rows[1]!.id }))).message).toBe(
      "The webhook deleted is deleted: the message cannot be sent.",
    );
    // The deleted webhook leaves the list and its secret is erased; its row stays for the outbox's history.
    expect((await listWebhooks(prisma)).map((webhook) => [webhook.name, webhook.active])).toEqual([["deactivated", false]]);
    expect(await prisma.webhook.findUniqueOrThrow({ where: { id: removed.id } })).toMatchObject({ secret: "", active: false });
    expect((await refused(executeMutation(deleteWebhook, admin, { webhookId: removed.id }))).status).toBe(404);
  });
});

describe("the outbox", () => {
  it("sends each message once when several workers deliver at the same time", async () => {
    await addWebhook();
    for (let n = 0; n < 12; n++) await enqueue(notification({ subject: `Approval needed #${n}` }));

    const reports = await Promise.all([1, 2, 3].map(() => deliverDueNotifications(prisma, settings())));

    expect(reports.reduce((sum, report) => sum + report.sent, 0)).toBe(12);
    expect(hits).toHaveLength(12);
    expect(new Set(hits.map((hit) => hit.headers["x-warrant-delivery"])).size).toBe(12);
    expect(await prisma.notificationMessage.count({ where: { status: "SENT", attempts: 1 } })).toBe(12);
  });

  it("keeps sending while a receiver is slow: one unanswered request does not hold up the others", async () => {
    await addWebhook();
    for (let n = 0; n < 3; n++) await enqueue(notification({ subject: `Approval needed #${n}` }));
    holdNext = 1;
    // Long enough that, one at a time, the other two would wait for the first to time out.
    const run = deliverDueNotifications(prisma, settings({ webhookTimeoutMs: 60_000 }));

    await until(() => hits.length === 3);
    expect(held).toHaveLength(1);
    held[0]!.end("ok");

    expect(await run).toMatchObject({ sent: 3, retrying: 0 });
    expect(await prisma.notificationMessage.count({ where: { status: "SENT", attempts: 1 } })).toBe(3);
  });

  it("is delivered by the notifications.deliver job, which says what it did", async () => {
    const alice = await createTestUser([]);
    await enqueue(notification({ recipientUserIds: [alice.user.id] }));
    // The test environment configures no SMTP server: the email waits.
    expect(await runJob(findJob("notifications.deliver")!, prisma)).toBe(
      "0 sent, 0 to retry, 0 failed, 1 email waiting in the outbox (no SMTP_URL)",
    );
    expect(findJob("notifications.deliver")!.cron).toBe("* * * * *");
  });

  it("writes nothing when the transaction that enqueued rolls back, so nothing is sent", async () => {
    const alice = await createTestUser([]);
    await addWebhook();
    await expect(
      prisma.$transaction(async (tx) => {
        await enqueueNotification(tx, notification({ recipientUserIds: [alice.user.id] }));
        throw new Error("the approval failed");
      }),
    ).rejects.toThrow("the approval failed");

    expect(await prisma.notificationMessage.count()).toBe(0);
    await deliverDueNotifications(prisma, settings());
    expect(mails).toHaveLength(0);
    expect(hits).toHaveLength(0);
  });
});

describe("webhook administration", () => {
  it("refuses URLs that are not http(s) or carry credentials, naming the field, and creates nothing", async () => {
    for (const [url, message] of [
      ["ftp://files.example.com/hook", "must start with https:// or http://"],
      ["https://user:pw@hooks.example.com/x", "must not contain a user name or password: receivers check X-Warrant-Signature instead"],
      ["not a url", "must be a URL like https://hooks.example.com/warrant"],
    ]) {
      const error = await refused(addWebhook({ url }));
      expect(error.fields).toEqual({ url: message });
    }
    expect((await refused(addWebhook({ events: "approval.requested, approval/decided" }))).fields).toEqual({
      "events.1": 'must be event names like "approval.requested" or "approval.*"',
    });
    expect(await prisma.webhook.count()).toBe(0);
  });

  it("accepts a Slack incoming-webhook URL, but keeps its secret path out of the audit log", async () => {
    const url = "https://hooks.slack.com/services/T0000AAAA/B0000BBBB/abcdefghijklmnopqrstuvwx";
    const created = await addWebhook({ name: "slack", url, format: "SLACK" });
    expect(created.url).toBe("https://hooks.slack.com/…");
    expect((await prisma.webhook.findUniqueOrThrow({ where: { id: created.id } })).url).toBe(url);
    const event = await prisma.auditEvent.findFirstOrThrow({ where: { action: "webhook.created", targetId: created.id } });
    expect(JSON.stringify(event.data)).not.toContain("abcdefghijklmnop");
    expect(JSON.stringify(event.data)).not.toContain(created.secret);
    // Secrets in the other fields are still refused.
    expect((await refused(addWebhook({ name: url }))).fields).toEqual({ name: expect.stringContaining("Slack webhook") });
  });

  it("is for admins only", async () => {
    const lead = (await createTestUser(["SECURITY_LEAD"])).actor;
    expect((await refused(executeMutation(createWebhook, lead, { name: "x", url: receiverUrl }))).status).toBe(403);
    expect(await prisma.webhook.count()).toBe(0);
  });
});
