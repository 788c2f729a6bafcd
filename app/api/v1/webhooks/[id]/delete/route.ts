import { apiMutation } from "@/lib/api/handler";
import { deleteWebhook } from "@/lib/notifications/webhooks";

// A POST, not DELETE: the webhook's row stays (nothing in Warrant is hard-deleted); it leaves every list and its secret is erased.
export const POST = apiMutation(deleteWebhook, { input: (_body, params) => ({ webhookId: params.id }) });
