import type { DbOrTx } from "@/lib/db/client";
import { findPageAfter } from "@/lib/db/cursor-page";
import { NotificationStatus } from "@/lib/db/generated/enums";
import { displayWebhookUrl } from "./webhooks";

// What admins read: the outbox, newest first, and the webhooks. No query here
// selects a webhook's secret.

export const OUTBOX_PAGE_SIZE = 50;

export function parseOutboxStatus(value: string | undefined): NotificationStatus | undefined {
  return value && (Object.values(NotificationStatus) as string[]).includes(value) ? (value as NotificationStatus) : undefined;
}

export async function listOutbox(db: DbOrTx, options: { status?: NotificationStatus; cursor?: string; limit?: number } = {}) {
  return findPageAfter(options.cursor, options.limit ?? OUTBOX_PAGE_SIZE, (args) =>
    db.notificationMessage.findMany({
      where: options.status ? { status: options.status } : {},
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      select: {
        id: true,
        channel: true,
        recipient: true,
        event: true,
        subject: true,
        status: true,
        attempts: true,
        nextAttemptAt: true,
        lastError: true,
        sentAt: true,
        createdAt: true,
      },
      ...args,
    }),
  );
}

export async function countOutboxByStatus(db: DbOrTx): Promise<Record<NotificationStatus, number>> {
  const groups = await db.notificationMessage.groupBy({ by: ["status"], _count: { _all: true } });
  const counts = Object.fromEntries(Object.values(NotificationStatus).map((status) => [status, 0])) as Record<NotificationStatus, number>;
  for (const group of groups) counts[group.status] = group._count._all;
  return counts;
}

export function findOutboxMessage(db: DbOrTx, id: string) {
  return db.notificationMessage.findUnique({ where: { id } });
}

export async function listWebhooks(db: DbOrTx) {
  const webhooks = await db.webhook.findMany({
    where: { deletedAt: null },
    orderBy: [{ active: "desc" }, { createdAt: "desc" }],
    select: {
      id: true,
      name: true,
      url: true,
      format: true,
      events: true,
      active: true,
      createdAt: true,
      createdBy: { select: { email: true } },
    },
  });
  return webhooks.map(({ url, ...webhook }) => ({ ...webhook, url: displayWebhookUrl(url) }));
}
