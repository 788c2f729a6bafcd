import { apiMutation } from "@/lib/api/handler";
import { deactivateWebhook } from "@/lib/notifications/webhooks";

export const POST = apiMutation(deactivateWebhook, { input: (_body, params) => ({ webhookId: params.id }) });
