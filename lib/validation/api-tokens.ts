import { z } from "zod";
import { ApiTokenScope } from "@/lib/db/generated/enums";

const scopeSchema = z.enum(Object.values(ApiTokenScope) as [ApiTokenScope, ...ApiTokenScope[]], {
  message: `must be one of ${Object.values(ApiTokenScope).join(", ")}`,
});

export const MAX_TOKEN_DAYS = 365;

export const createApiTokenInput = z.object({
  name: z.string().trim().min(1, { message: "is required" }).max(100, { message: "must be at most 100 characters" }),
  scopes: z
    .preprocess((value) => (value === undefined ? [] : Array.isArray(value) ? value : [value]), z.array(scopeSchema))
    .pipe(z.array(scopeSchema).min(1, { message: "choose at least one scope" }))
    .transform((scopes) => [...new Set(scopes)]),
  expiresInDays: z.coerce
    .number({ message: "must be a number of days" })
    .int({ message: "must be a whole number of days" })
    .min(1, { message: "must be at least 1 day" })
    .max(MAX_TOKEN_DAYS, { message: `must be at most ${MAX_TOKEN_DAYS} days: tokens must expire` }),
  /** Only the CLI (a system actor) may create a token for someone else. */
  userEmail: z.string().trim().toLowerCase().email({ message: "must be an email address" }).optional(),
});

export const revokeApiTokenInput = z.object({
  tokenId: z.string().min(1, { message: "is required" }),
});
