import type { Tx } from "@/lib/db/client";
import { newId } from "@/lib/db/ids";

// The outbox: a message is a row written in the same transaction as the event
// that causes it, so a message exists if and only if its cause committed. The
// notifications.deliver job (deliver.ts) sends the rows afterwards.

export interface NotificationInput {
  /** e.g. "approval.requested", "approval.decided", "review.overdue". */
  event: string;
  /** One line, e.g. "Approval needed: DEPLOY on payments-prod for claude-ci". */
  subject: string;
  /** Plain-text body. */
  text: string;
  /** Path in the app, e.g. "/approvals/ck…"; made absolute with AUTH_URL when sent. */
  link?: string;
  /** People: one email per active user with an email (deduplicated). */
  recipientUserIds: string[];
  /** Structured detail for webhooks. */
  data?: Record<string, unknown>;
  /** Only for the people named (a personal digest): webhooks already had each of its parts. */
  emailOnly?: boolean;
}

/** Writes the messages in the caller's transaction: one email row per recipient, one webhook row per active webhook subscribed to `event`. */
export async function enqueueNotification(tx: Tx, input: NotificationInput): Promise<void> {
  await enqueueNotifications(tx, [input]);
}

/**
 * Ids for this many rows come with the statement (newId, as every row gets):
 * enough for every person named and this many webhooks per message. A write
 * that needs more writes nothing, says how many, and runs again with that many.
 */
const SPARE_IDS_PER_MESSAGE = 4;

/**
 * Writes many messages at once (the lifecycle sweeps write hundreds a batch), in one statement: it
 * finds the recipients' addresses and the webhooks subscribed to each event and inserts a row for
 * each. A message is written inside someone's transaction (deciding an approval, for one), which
 * pays for every round trip.
 *
 * People: one email per active user with an address, once per address. Webhooks: one row per
 * active webhook whose filter lets the event through (empty: every event; "approval.*": every
 * event that starts with "approval."), unless the message is `emailOnly`.
 */
export async function enqueueNotifications(tx: Tx, inputs: readonly NotificationInput[]): Promise<void> {
  for (const input of inputs) {
    if (input.link !== undefined && !input.link.startsWith("/"))
      throw new Error(`A notification's link is a path in the app: ${input.link}`);
  }
  if (inputs.length === 0) return;
  const contents = JSON.stringify(
    inputs.map((input, index) => ({
      input: index,
      event: input.event,
      subject: input.subject,
      body: input.text,
      link: input.link ?? null,
      payload: input.data ?? {},
      recipients: input.recipientUserIds,
      emailOnly: input.emailOnly ?? false,
    })),
  );
  let spare = inputs.reduce((sum, input) => sum + input.recipientUserIds.length + SPARE_IDS_PER_MESSAGE, 0);
  for (;;) {
    const ids = Array.from({ length: spare }, newId);
    const [result] = await tx.$queryRaw<{ needed: number }[]>`
      WITH "content" AS (
        SELECT * FROM json_to_recordset(${contents}::json)
          AS c("input" int, "event" text, "subject" text, "body" text, "link" text, "payload" jsonb, "recipients" text[], "emailOnly" boolean)
      ), "people" AS (
        SELECT DISTINCT ON (c."input", lower(u."email"))
               c."input", 0 AS "kind", array_position(c."recipients", u."id") AS "position", 'EMAIL' AS "channel", u."email" AS "recipient", NULL::text AS "webhookId"
        FROM "content" c JOIN "User" u ON u."id" = ANY(c."recipients") AND u."active" AND u."email" <> ''
        ORDER BY c."input", lower(u."email"), array_position(c."recipients", u."id")
      ), "hooks" AS (
        SELECT c."input", 1, row_number() OVER (PARTITION BY c."input" ORDER BY w."createdAt", w."id")::int, 'WEBHOOK', w."name", w."id"
        FROM "content" c JOIN "Webhook" w ON w."active" AND NOT c."emailOnly"
        WHERE cardinality(w."events") = 0
           OR EXISTS (SELECT 1 FROM unnest(w."events") AS f("entry")
                      WHERE f."entry" = c."event" OR (right(f."entry", 2) = '.*' AND starts_with(c."event", left(f."entry", -1))))
      ), "numbered" AS (
        SELECT row_number() OVER (ORDER BY "input", "kind", "position")::int AS "n", * FROM (SELECT * FROM "people" UNION ALL SELECT * FROM "hooks") AS "both"
      ), "written" AS (
        INSERT INTO "NotificationMessage" ("id", "channel", "recipient", "webhookId", "event", "subject", "body", "link", "payload")
        SELECT (${ids}::text[])[m."n"], m."channel"::"NotificationChannel", m."recipient", m."webhookId", c."event", c."subject", c."body", c."link", c."payload"
        FROM "numbered" m JOIN "content" c ON c."input" = m."input"
        WHERE (SELECT count(*) FROM "numbered") <= ${ids.length}
        ORDER BY m."n"
      )
      SELECT count(*)::int AS "needed" FROM "numbered"`;
    if (result!.needed <= ids.length) return;
    spare = result!.needed;
  }
}
