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
}

/** True when a webhook's event filter lets `event` through: empty means every event, "approval.*" every approval event. */
export function webhookWantsEvent(filter: readonly string[], event: string): boolean {
  if (filter.length === 0) return true;
  return filter.some((entry) => entry === event || (entry.endsWith(".*") && event.startsWith(entry.slice(0, -1))));
}

/** Writes the messages in the caller's transaction: one email row per recipient, one webhook row per active webhook subscribed to `event`. */
export async function enqueueNotification(tx: Tx, input: NotificationInput): Promise<void> {
  await enqueueNotifications(tx, [input]);
}

/**
 * Many messages at once, as enqueueNotification writes each: one statement reads every recipient's
 * address and the active webhooks, one INSERT writes every row. A review campaign tells each of a
 * thousand owners how many identities are theirs; one round trip per message was most of its time.
 */
export async function enqueueNotifications(tx: Tx, inputs: readonly NotificationInput[]): Promise<void> {
  for (const input of inputs) {
    if (input.link !== undefined && !input.link.startsWith("/"))
      throw new Error(`A notification's link is a path in the app: ${input.link}`);
  }
  const userIds = [...new Set(inputs.flatMap((input) => input.recipientUserIds))];
  // The recipients' addresses and the active webhooks in one statement: a message is written inside
  // someone's transaction (deciding an approval, for one), which pays for every round trip.
  const targets = await tx.$queryRaw<
    { userId: string | null; email: string | null; webhookId: string | null; name: string | null; events: string[] | null }[]
  >`
    SELECT u."id" AS "userId", u."email", NULL AS "webhookId", NULL AS "name", NULL::text[] AS "events"
    FROM "User" u WHERE u."id" = ANY(${userIds}::text[]) AND u."active" AND u."email" <> ''
    UNION ALL
    SELECT NULL, NULL, w."id", w."name", w."events" FROM "Webhook" w WHERE w."active"`;
  const emailOf = new Map(targets.flatMap(({ userId, email }) => (userId === null || email === null ? [] : [[userId, email] as const])));
  const webhooks = targets.flatMap(({ webhookId, name, events }) =>
    webhookId === null ? [] : [{ id: webhookId, name: name!, events: events! }],
  );
  const rows = inputs.flatMap((input) => {
    const people = input.recipientUserIds.flatMap((id) => (emailOf.has(id) ? [emailOf.get(id)!] : []));
    // Two accounts never share an address (it is unique), but compare as mail servers do.
    const addresses = [...new Map(people.map((email) => [email.toLowerCase(), email])).values()];
    const message = {
      event: input.event,
      subject: input.subject,
      body: input.text,
      link: input.link ?? null,
      payload: JSON.stringify(input.data ?? {}),
    };
    return [
      ...addresses.map((address) => ({ id: newId(), channel: "EMAIL", recipient: address, webhookId: null, ...message })),
      ...webhooks
        .filter((webhook) => webhookWantsEvent(webhook.events, input.event))
        .map((webhook) => ({ id: newId(), channel: "WEBHOOK", recipient: webhook.name, webhookId: webhook.id, ...message })),
    ];
  });
  if (rows.length === 0) return;
  // One plain INSERT for every recipient (the ORM's createMany costs a query plan of its own in Node).
  await tx.$executeRaw`
    INSERT INTO "NotificationMessage" ("id", "channel", "recipient", "webhookId", "event", "subject", "body", "link", "payload")
    SELECT m."id", m."channel"::"NotificationChannel", m."recipient", m."webhookId", m."event", m."subject", m."body", m."link", m."payload"::jsonb
    FROM json_to_recordset(${JSON.stringify(rows)}::json)
      AS m("id" text, "channel" text, "recipient" text, "webhookId" text, "event" text, "subject" text, "body" text, "link" text, "payload" text)`;
}
