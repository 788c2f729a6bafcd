import { apiMutation, apiQuery } from "@/lib/api/handler";
import { prisma } from "@/lib/db/client";
import { listWebhooks } from "@/lib/notifications/queries";
import { createWebhook } from "@/lib/notifications/webhooks";

export const GET = apiQuery("notifications:manage", async () => ({ webhooks: await listWebhooks(prisma) }));

/** The response holds the signing secret, once. */
export const POST = apiMutation(createWebhook, { status: 201 });
