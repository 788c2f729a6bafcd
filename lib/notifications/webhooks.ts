import { randomBytes } from "node:crypto";
import { defineMutation } from "@/lib/auth/mutation";
import { AppError, notFound } from "@/lib/errors";
import { detectSecret } from "@/lib/security/secret-detector";
import { createWebhookInput, notificationIdInput, webhookIdInput } from "@/lib/validation/notifications";

// Webhooks and the admin's hands on the outbox. All admin-only, audited.
//
// The signing secret is stored as it is: the server needs it to compute each
// body's HMAC, so a hash (as for API tokens) cannot serve, and encrypting it
// with a key from the same server's environment would protect only a database
// copy taken without that environment, at the cost of every webhook breaking
// when AUTH_SECRET is rotated. It is shown once at creation and never read
// back by any page, API or audit event; a lost secret means a new webhook.

const SECRET_PREFIX = "whsec_";

/** A webhook URL as lists and the audit log show it: the path is left out when it is itself a credential (Slack's are). */
export function displayWebhookUrl(url: string): string {
  if (!detectSecret(url)) return url;
  return `${new URL(url).origin}/…`;
}

export const createWebhook = defineMutation({
  name: "webhooks.create",
  description: "manage webhooks",
  permission: "notifications:manage",
  input: createWebhookInput,
  // An incoming-webhook URL is often a credential in itself (Slack's are):
  // storing it is the point, so only the URL is exempt from the secret screen.
  secretsAllowedIn: ["url"],
  async run({ tx, actor, audit }, input) {
    const secret = SECRET_PREFIX + randomBytes(32).toString("base64url");
    const webhook = await tx.webhook.create({
      data: {
        name: input.name,
        url: input.url,
        secret,
        format: input.format,
        events: input.events,
        createdById: actor.kind === "system" ? null : actor.userId,
      },
    });
    await audit({
      action: "webhook.created",
      targetType: "webhook",
      targetId: webhook.id,
      data: { name: webhook.name, url: displayWebhookUrl(webhook.url), format: webhook.format, events: webhook.events },
    });
    return {
      id: webhook.id,
      name: webhook.name,
      url: displayWebhookUrl(webhook.url),
      format: webhook.format,
      events: webhook.events,
      secret,
    };
  },
});

export const deactivateWebhook = defineMutation({
  name: "webhooks.deactivate",
  description: "manage webhooks",
  permission: "notifications:manage",
  input: webhookIdInput,
  async run({ tx, audit }, { webhookId }) {
    const webhook = await tx.webhook.findUnique({ where: { id: webhookId } });
    if (!webhook || webhook.deletedAt) throw notFound("That webhook");
    if (!webhook.active) throw new AppError("conflict", `The webhook ${webhook.name} is already inactive.`);
    await tx.webhook.update({ where: { id: webhookId }, data: { active: false } });
    // Messages already waiting for it are not sent: the delivery job fails them, saying why.
    await audit({ action: "webhook.deactivated", targetType: "webhook", targetId: webhookId, data: { name: webhook.name } });
    return { id: webhookId, name: webhook.name };
  },
});

export const deleteWebhook = defineMutation({
  name: "webhooks.delete",
  description: "manage webhooks",
  permission: "notifications:manage",
  input: webhookIdInput,
  async run({ tx, audit }, { webhookId }) {
    const webhook = await tx.webhook.findUnique({ where: { id: webhookId } });
    if (!webhook || webhook.deletedAt) throw notFound("That webhook");
    // Nothing in Warrant is hard-deleted: the row stays, so the outbox's history still names where messages went,
    // but it leaves every list, and its secret, no longer needed, is erased. What waited for it is given up.
    const dropped = await tx.notificationMessage.updateMany({
      where: { webhookId, status: { in: ["PENDING", "SENDING"] } },
      data: { status: "FAILED", lastError: "the webhook was deleted" },
    });
    await tx.webhook.update({ where: { id: webhookId }, data: { active: false, deletedAt: new Date(), secret: "" } });
    await audit({
      action: "webhook.deleted",
      targetType: "webhook",
      targetId: webhookId,
      data: { name: webhook.name, url: displayWebhookUrl(webhook.url), unsent: dropped.count },
    });
    return { id: webhookId, name: webhook.name };
  },
});

export const retryNotification = defineMutation({
  name: "notifications.retry",
  description: "retry notifications",
  permission: "notifications:manage",
  input: notificationIdInput,
  async run({ tx, audit }, { messageId }) {
    const message = await tx.notificationMessage.findUnique({ where: { id: messageId } });
    if (!message) throw notFound("That message");
    if (message.status !== "FAILED") throw new AppError("conflict", "Only a failed message can be retried.");
    if (message.channel === "WEBHOOK") {
      const webhook = message.webhookId ? await tx.webhook.findUnique({ where: { id: message.webhookId } }) : null;
      if (!webhook?.active)
        throw new AppError(
          "conflict",
          `The webhook ${message.recipient} is ${!webhook || webhook.deletedAt ? "deleted" : "inactive"}: the message cannot be sent.`,
        );
    }
    // A fresh set of attempts from now; the message keeps its id, so receivers still recognise a repeat.
    await tx.notificationMessage.update({
      where: { id: messageId },
      data: { status: "PENDING", attempts: 0, nextAttemptAt: new Date(), lastError: null },
    });
    await audit({
      action: "notification.retried",
      targetType: "notification",
      targetId: messageId,
      data: { channel: message.channel, recipient: message.recipient, event: message.event, lastError: message.lastError },
    });
    return { id: messageId };
  },
});
