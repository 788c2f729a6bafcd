import { z } from "zod";
import { WebhookFormat } from "@/lib/db/generated/enums";

const EVENT = /^[a-z0-9_-]+(\.[a-z0-9_-]+)*(\.\*)?$/;

/** A webhook URL: http(s) only, no user name or password in it (they would be sent and stored in the clear). */
export const webhookUrl = z
  .string()
  .trim()
  .max(2000, { message: "must be at most 2,000 characters" })
  .superRefine((value, ctx) => {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      ctx.addIssue({ code: "custom", message: "must be a URL like https://hooks.example.com/warrant" });
      return;
    }
    if (url.protocol !== "https:" && url.protocol !== "http:")
      ctx.addIssue({ code: "custom", message: "must start with https:// or http://" });
    else if (url.username || url.password) {
      ctx.addIssue({ code: "custom", message: "must not contain a user name or password: receivers check X-Warrant-Signature instead" });
    } else if (url.hash) ctx.addIssue({ code: "custom", message: "must not contain a #fragment (it is never sent)" });
  });

export const createWebhookInput = z.object({
  name: z.string().trim().min(1, { message: "is required" }).max(100, { message: "must be at most 100 characters" }),
  url: webhookUrl,
  format: z.enum(WebhookFormat, { message: "must be JSON or SLACK" }).default("JSON"),
  /** A form sends "approval.requested, review.*"; the API an array. Empty: every event. */
  events: z
    .preprocess(
      (value) =>
        value === undefined || value === ""
          ? []
          : typeof value === "string"
            ? value
                .split(/[\s,]+/)
                .map((event) => event.trim())
                .filter(Boolean)
            : value,
      z
        .array(z.string().regex(EVENT, { message: 'must be event names like "approval.requested" or "approval.*"' }))
        .max(50, { message: "must list at most 50 events" }),
    )
    .transform((events) => [...new Set(events)]),
});

export const webhookIdInput = z.object({
  webhookId: z.string().min(1, { message: "is required" }),
});

export const notificationIdInput = z.object({
  messageId: z.string().min(1, { message: "is required" }),
});
