import { z } from "zod";
import { fieldErrorsFromZod, validationError, type FieldErrors } from "@/lib/errors";
import { requiredText } from "@/lib/validation/inventory";
import { screenRawInput } from "@/lib/validation/raw-input";

// What an agent or gateway may report (POST /api/v1/events): one event, or
// { events: [...] } of up to 1,000. A batch is all or nothing, so a bad event
// is named by its index and field (events.3.kind) and nothing is stored.

export const MAX_EVENTS_PER_BATCH = 1000;
/** A client clock a little ahead of ours is tolerated; further ahead, the time is refused. */
export const MAX_CLOCK_AHEAD_MS = 5 * 60_000;
const MAX_DETAIL_CHARS = 4000;

export const EVENT_KINDS = ["tool_call", "token_use", "privileged_action"] as const;
export type EventKindInput = (typeof EVENT_KINDS)[number];
export const EVENT_RESULTS = ["success", "failure"] as const;

export const eventInput = z
  .strictObject(
    {
      kind: z.enum(EVENT_KINDS, { message: "must be one of tool_call, token_use, privileged_action" }),
      /** When it happened, by the client's clock; defaults to when Warrant receives it. */
      occurredAt: z.coerce.date({ message: "must be a date and time, e.g. 2026-11-30T09:15:00Z" }).optional(),
      tool: requiredText(200).optional(),
      /** The tool call's arguments: hashed as authorize hashes them, then dropped (never stored). */
      arguments: z.record(z.string(), z.unknown(), { message: "must be an object" }).optional(),
      /** Or the hash itself, for clients that do not send arguments. */
      argumentsHash: z
        .string({ message: "must be a SHA-256 in hex" })
        .regex(/^[0-9a-f]{64}$/, { message: "must be a SHA-256 in hex (64 lower-case hex digits)" })
        .optional(),
      action: z.enum(["read", "write", "deploy", "admin"], { message: "must be one of read, write, deploy, admin" }).optional(),
      systemId: requiredText(64).optional(),
      targetEnvironment: z.enum(["DEV", "STAGING", "PROD"], { message: "must be DEV, STAGING or PROD" }).optional(),
      result: z.enum(EVENT_RESULTS, { message: "must be success or failure" }).optional(),
      /** A credential of this identity that the event used (a PAT, a cloud role); defaults to the one the report is sent with. */
      credentialId: requiredText(64).optional(),
      decisionId: requiredText(64).optional(),
      sessionId: requiredText(200).optional(),
      taskId: requiredText(200).optional(),
      detail: z
        .record(z.string(), z.unknown(), { message: "must be an object" })
        .refine((value) => JSON.stringify(value).length <= MAX_DETAIL_CHARS, {
          message: `must be at most ${MAX_DETAIL_CHARS} characters of JSON`,
        })
        .optional(),
    },
    { error: (issue) => (issue.code === "unrecognized_keys" ? `is not a known field: ${issue.keys.join(", ")}` : undefined) },
  )
  .superRefine((event, ctx) => {
    if (event.kind === "tool_call" && !event.tool) ctx.addIssue({ code: "custom", path: ["tool"], message: "is required for a tool_call" });
    if (event.kind === "privileged_action") {
      if (!event.action) ctx.addIssue({ code: "custom", path: ["action"], message: "is required for a privileged_action" });
      if (!event.systemId) ctx.addIssue({ code: "custom", path: ["systemId"], message: "is required for a privileged_action" });
    }
    if (event.action && !event.systemId) ctx.addIssue({ code: "custom", path: ["systemId"], message: "is required with an action" });
    if (event.arguments && event.argumentsHash)
      ctx.addIssue({ code: "custom", path: ["argumentsHash"], message: "send arguments or argumentsHash, not both" });
    if ((event.arguments || event.argumentsHash) && !event.tool)
      ctx.addIssue({ code: "custom", path: ["tool"], message: "is required with arguments" });
  });

export type EventInput = z.output<typeof eventInput>;

const batchInput = z.strictObject(
  {
    events: z
      .array(eventInput, { message: "must be a list of events" })
      .min(1, { message: "must hold at least one event" })
      .max(MAX_EVENTS_PER_BATCH, { message: `must hold at most ${MAX_EVENTS_PER_BATCH.toLocaleString("en")} events` }),
  },
  { error: (issue) => (issue.code === "unrecognized_keys" ? `is not a known field: ${issue.keys.join(", ")}` : undefined) },
);

/** The request body as documented (OpenAPI): one event, or a batch. */
export const eventsBody = z.union([eventInput, batchInput]);

/** Text fields (detail included) are screened like every other input; the arguments are not, since they are never stored. */
function screen(raw: unknown): FieldErrors {
  const strip = (event: unknown) =>
    event && typeof event === "object" && !Array.isArray(event) ? { ...(event as Record<string, unknown>), arguments: undefined } : event;
  if (raw && typeof raw === "object" && "events" in raw && Array.isArray((raw as { events: unknown }).events)) {
    return screenRawInput({ events: (raw as { events: unknown[] }).events.map(strip) }, { maxFieldChars: MAX_DETAIL_CHARS });
  }
  return screenRawInput(strip(raw), { maxFieldChars: MAX_DETAIL_CHARS });
}

/**
 * One event or a batch, validated whole; throws a validation error naming
 * every bad field (events.3.kind for a batch, kind for a single event).
 */
export function parseEvents(raw: unknown, now: Date): { events: EventInput[]; isBatch: boolean } {
  const screened = screen(raw);
  if (Object.keys(screened).length > 0) throw validationError(screened);
  const isBatch = raw !== null && typeof raw === "object" && "events" in raw;
  const parsed = isBatch ? batchInput.safeParse(raw) : eventInput.safeParse(raw);
  if (!parsed.success) throw validationError(fieldErrorsFromZod(parsed.error));
  const events = isBatch ? (parsed.data as { events: EventInput[] }).events : [parsed.data as EventInput];
  const tooLate = now.getTime() + MAX_CLOCK_AHEAD_MS;
  const future: FieldErrors = {};
  events.forEach((event, index) => {
    if (event.occurredAt && event.occurredAt.getTime() > tooLate) {
      future[isBatch ? `events.${index}.occurredAt` : "occurredAt"] = "must not be in the future";
    }
  });
  if (Object.keys(future).length > 0) throw validationError(future);
  return { events, isBatch };
}

/** The field path of event `index`'s `field`, as parseEvents names it. */
export function eventField(isBatch: boolean, index: number, field: string): string {
  return isBatch ? `events.${index}.${field}` : field;
}
