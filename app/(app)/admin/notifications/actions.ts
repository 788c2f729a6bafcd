"use server";

import { mutationAction } from "@/lib/auth/action";
import { createWebhook, deactivateWebhook, deleteWebhook, retryNotification } from "@/lib/notifications/webhooks";

export const createWebhookAction = mutationAction(createWebhook, {
  success: (webhook) => `Created ${webhook.name}. Copy its signing secret now: it is shown only once.`,
  revalidate: "/admin/notifications",
  returnResult: true,
});

export const deactivateWebhookAction = mutationAction(deactivateWebhook, {
  success: (webhook) => `Deactivated ${webhook.name}. Messages waiting for it will not be sent.`,
  revalidate: "/admin/notifications",
});

export const deleteWebhookAction = mutationAction(deleteWebhook, {
  success: (webhook) => `Deleted ${webhook.name}.`,
  revalidate: "/admin/notifications",
});

export const retryNotificationAction = mutationAction(retryNotification, {
  success: () => "The message will be sent again within a minute.",
  revalidate: "/admin/notifications",
});
