import type { Db } from "@/lib/db/client";
import type { Prisma } from "@/lib/db/generated/client";
import type { NotificationChannel, WebhookFormat } from "@/lib/db/generated/enums";
import { createMailer } from "./email-send";
import { BlockedAddress, postWebhook, signBody } from "./webhook-send";
import { absoluteLink, messageText } from "./format";

// Sends what the outbox holds. What "nothing is sent twice" can honestly mean:
//
// A message is claimed in a transaction of its own that commits before
// anything is sent: its status becomes SENDING, its attempt is counted and
// nextAttemptAt becomes the end of a lease. Only then is it sent, and the
// outcome is written in a second transaction. So two workers never send the
// same message side by side (the claim skips rows another worker holds, and
// a claimed row is not due again until its lease ends), and a message sent
// and marked is never sent again.
//
// The one gap no sender can close alone is a crash after the receiver took
// the message and before the mark committed: the row is then still SENDING,
// its lease runs out, and it is sent once more. Delivery is therefore
// at-least-once, with duplicates only in that window, and every copy carries
// the same identity so receivers can drop the repeat: webhooks send the
// message id as X-Warrant-Delivery, and email's Message-ID is derived from it
// (mail clients and many servers collapse repeats of one Message-ID). A mark
// is also fenced on the attempt it claimed, so a worker that outlived its
// lease cannot overwrite the outcome of the attempt that followed.

/** Attempts before a message is FAILED (about three hours of retrying with the backoff below). */
export const MAX_ATTEMPTS = 10;
const BACKOFF_BASE_MS = 30_000;
const BACKOFF_MAX_MS = 60 * 60_000;
/** Longer than any one send can take (webhook timeout, or the email race below), so a live send never loses its claim. */
export const LEASE_MS = 2 * 60_000;
const WEBHOOK_TIMEOUT_MS = 10_000;
const EMAIL_TIMEOUT_MS = 60_000;
/** One run sends at most this many, so a job run ends; the next minute's run goes on. */
const MAX_PER_RUN = 500;

/** Delay before the attempt after `attempts` failed ones: 30 s, 1 min, 2 min, … capped at an hour. */
export function backoffMs(attempts: number): number {
  return Math.min(BACKOFF_BASE_MS * 2 ** Math.max(0, attempts - 1), BACKOFF_MAX_MS);
}

export interface DeliverySettings {
  /** null: email stays PENDING in the outbox (admins read it in the browser). */
  smtp: { url: string; from: string } | null;
  /** The app's origin, to make links absolute (AUTH_URL). */
  baseUrl: string;
  allowPrivateWebhooks: boolean;
  /** A fixed clock for due times, leases, backoff and sentAt (tests move it); unset, the real time at each step. */
  now?: Date;
  webhookTimeoutMs?: number;
  maxMessages?: number;
}

interface ClaimedMessage {
  id: string;
  channel: NotificationChannel;
  recipient: string;
  webhookId: string | null;
  event: string;
  subject: string;
  body: string;
  link: string | null;
  payload: Record<string, unknown>;
  attempts: number;
  createdAt: Date;
}

export interface DeliveryReport {
  sent: number;
  retrying: number;
  failed: number;
  /** Email waiting because no SMTP server is configured. */
  waiting: number;
}

/** Gives up on messages whose last attempt was lost with its worker (the lease ran out with no attempts left). */
async function failAbandoned(db: Db, now: Date): Promise<number> {
  return db.$executeRaw`
    UPDATE "NotificationMessage"
       SET "status" = 'FAILED',
           "lastError" = ${`the worker stopped during attempt ${MAX_ATTEMPTS} of ${MAX_ATTEMPTS}; it may have been delivered`}
     WHERE "status" = 'SENDING' AND "nextAttemptAt" <= ${now} AND "attempts" >= ${MAX_ATTEMPTS}`;
}

/** Claims one due message in its own committed statement (see the comment at the top). */
async function claimNext(db: Db, now: Date, withEmail: boolean): Promise<ClaimedMessage | undefined> {
  const leaseEnd = new Date(now.getTime() + LEASE_MS);
  const [row] = await db.$queryRaw<ClaimedMessage[]>`
    UPDATE "NotificationMessage" m
       SET "status" = 'SENDING', "attempts" = m."attempts" + 1, "nextAttemptAt" = ${leaseEnd}
     WHERE m."id" = (
       SELECT "id" FROM "NotificationMessage"
        WHERE "status" IN ('PENDING', 'SENDING') AND "nextAttemptAt" <= ${now} AND "attempts" < ${MAX_ATTEMPTS}
          AND ("channel" = 'WEBHOOK' OR ${withEmail})
        ORDER BY "nextAttemptAt", "id"
        LIMIT 1
        FOR UPDATE SKIP LOCKED)
    RETURNING m."id", m."channel"::text AS "channel", m."recipient", m."webhookId", m."event", m."subject", m."body", m."link",
              m."payload", m."attempts", m."createdAt"`;
  return row;
}

/** Writes an attempt's outcome, fenced on the attempt that was claimed; null when a later attempt has taken the message over. */
async function markOutcome(
  db: Db,
  message: ClaimedMessage,
  now: Date,
  error: string | null,
  retry: boolean,
): Promise<"sent" | "retrying" | "failed" | null> {
  const fence = { id: message.id, status: "SENDING" as const, attempts: message.attempts };
  const mark = async (outcome: "sent" | "retrying" | "failed", data: Prisma.NotificationMessageUpdateManyMutationInput) =>
    (await db.notificationMessage.updateMany({ where: fence, data })).count > 0 ? outcome : null;
  if (error === null) return mark("sent", { status: "SENT", sentAt: now, lastError: null });
  const lastError = error.slice(0, 500);
  if (retry && message.attempts < MAX_ATTEMPTS) {
    return mark("retrying", { status: "PENDING", nextAttemptAt: new Date(now.getTime() + backoffMs(message.attempts)), lastError });
  }
  return mark("failed", { status: "FAILED", lastError });
}

function slackEscape(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** The webhook body. It depends only on the stored message, so every attempt sends the same bytes. */
export function webhookBody(message: ClaimedMessage, format: WebhookFormat, baseUrl: string): string {
  // Slack reads &, < and > as its own markup (<url|label>, &amp;): they are escaped so text shows as written.
  if (format === "SLACK") return JSON.stringify({ text: slackEscape(`*${message.subject}*\n${messageText(message, baseUrl)}`) });
  return JSON.stringify({
    id: message.id,
    event: message.event,
    subject: message.subject,
    text: message.body,
    link: absoluteLink(baseUrl, message.link),
    data: message.payload,
    createdAt: message.createdAt.toISOString(),
  });
}

/** One line for lastError: the message, with a system error's code when the message leaves it out (e.g. "ECONNREFUSED"). */
function reason(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as NodeJS.ErrnoException).code;
  return code && !error.message.includes(code) ? `${code}: ${error.message}` : error.message;
}

async function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>(
    (_, reject) => (timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms / 1000} s`)), ms)),
  );
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Messages in flight at once in one run: a receiver that takes its time (up to the webhook timeout,
 * or a slow SMTP server) holds up only its own lane, not every message behind it.
 */
export const DELIVERY_LANES = 4;

/**
 * Sends due messages, several at a time, until none is due (or the run's cap); safe to run on many
 * workers at once. Each lane claims its next message only when its last one is marked, so the cap
 * and the lease hold per message as they did one at a time.
 */
export async function deliverDueNotifications(db: Db, settings: DeliverySettings): Promise<DeliveryReport> {
  // Read afresh for every message: a run can last minutes, and a lease counted from the run's start could end before its send.
  const clock = () => settings.now ?? new Date();
  const report: DeliveryReport = { sent: 0, retrying: 0, failed: 0, waiting: 0 };
  report.failed += await failAbandoned(db, clock());
  // Nodemailer connects per message, so the lanes share one transport.
  const mailer = settings.smtp ? createMailer(settings.smtp) : undefined;
  const host = new URL(settings.baseUrl).hostname;
  const max = settings.maxMessages ?? MAX_PER_RUN;
  let claimed = 0;

  async function send(message: ClaimedMessage): Promise<{ error: string | null; retry: boolean }> {
    try {
      if (message.channel === "EMAIL") {
        // Someone deactivated since the message was written no longer hears from Warrant.
        const person = await db.user.findUnique({ where: { email: message.recipient }, select: { active: true } });
        if (person && !person.active) return { error: "the recipient was deactivated", retry: false };
        const text = messageText(message, settings.baseUrl);
        await withTimeout(
          mailer!.send({ to: message.recipient, subject: message.subject, text, messageId: `<notification.${message.id}@${host}>` }),
          EMAIL_TIMEOUT_MS,
          "sending the email",
        );
        return { error: null, retry: true };
      }
      const webhook = message.webhookId ? await db.webhook.findUnique({ where: { id: message.webhookId } }) : null;
      if (!webhook || !webhook.active) {
        return { error: !webhook || webhook.deletedAt ? "the webhook was deleted" : "the webhook was deactivated", retry: false };
      }
      const body = webhookBody(message, webhook.format, settings.baseUrl);
      await postWebhook({
        url: webhook.url,
        body,
        timeoutMs: settings.webhookTimeoutMs ?? WEBHOOK_TIMEOUT_MS,
        allowPrivate: settings.allowPrivateWebhooks,
        headers: {
          "Content-Type": "application/json",
          "User-Agent": "Warrant-Webhooks/1",
          "X-Warrant-Event": message.event,
          "X-Warrant-Delivery": message.id,
          "X-Warrant-Timestamp": String(Math.floor(Date.now() / 1000)),
          "X-Warrant-Signature": signBody(webhook.secret, body),
        },
      });
      return { error: null, retry: true };
    } catch (caught) {
      return { error: reason(caught), retry: !(caught instanceof BlockedAddress) };
    }
  }

  async function lane() {
    while (claimed < max) {
      claimed += 1;
      const message = await claimNext(db, clock(), mailer !== undefined);
      if (!message) return;
      const { error, retry } = await send(message);
      const outcome = await markOutcome(db, message, clock(), error, retry);
      if (outcome) report[outcome] += 1;
    }
  }

  try {
    // Every lane ends before the transport closes, even when one of them fails (the database gone, say).
    const lanes = await Promise.allSettled(Array.from({ length: DELIVERY_LANES }, lane));
    const failed = lanes.find((result) => result.status === "rejected");
    if (failed) throw failed.reason;
  } finally {
    mailer?.close();
  }
  if (!settings.smtp) report.waiting = await db.notificationMessage.count({ where: { channel: "EMAIL", status: "PENDING" } });
  return report;
}

export function describeDelivery(report: DeliveryReport): string {
  const parts = [`${report.sent} sent`, `${report.retrying} to retry`, `${report.failed} failed`];
  if (report.waiting > 0) parts.push(`${report.waiting} email${report.waiting === 1 ? "" : "s"} waiting in the outbox (no SMTP_URL)`);
  return parts.join(", ");
}
