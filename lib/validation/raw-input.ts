import type { FieldErrors } from "@/lib/errors";
import { detectSecret, secretRefusalMessage } from "@/lib/security/secret-detector";

// What every mutation's raw input is checked for before its schema sees it
// (lib/auth/mutation.ts): forms, the API, the CLI and jobs alike.
//
// - A string longer than any field of any schema allows is refused by its
//   length alone, so a megabyte of crafted text is never run through the
//   secret patterns or zod.
// - NUL (\u0000) cannot be stored in a PostgreSQL text column; it would come
//   back from the database as an error (HTTP 500) instead of a field message.
// - Text shaped like a secret is refused, so no part of one reaches
//   validation messages, the database or the audit log.

/** Longer than any text field Warrant accepts (the longest, a purpose or comment, is 2,000). */
export const MAX_FIELD_CHARS = 10_000;

/** Deeper than any input Warrant takes (CSV import rows are the deepest, at 3); a 1 MiB body could otherwise nest 500,000 levels and exhaust the stack. */
export const MAX_NESTING = 16;

export const NUL_MESSAGE = "must not contain a NUL character (\\u0000)";

export function tooLongMessage(max: number): string {
  return `is too long: at most ${max.toLocaleString("en")} characters`;
}

export interface ScreenOptions {
  /** Longest string accepted in any field; mutations that take a whole document (CSV import) raise it. */
  maxFieldChars?: number;
  /** False for mutations that scan a document's secrets themselves, to name its line and column. */
  secrets?: boolean;
  /** Top-level fields whose value may be a credential by design (a Slack webhook URL); still checked for length and NUL. */
  secretsAllowedIn?: readonly string[];
}

/** Field path → why it is refused; empty when the input may go on to validation. */
export function screenRawInput(input: unknown, options: ScreenOptions = {}): FieldErrors {
  const max = options.maxFieldChars ?? MAX_FIELD_CHARS;
  const scanSecrets = options.secrets ?? true;
  const errors: FieldErrors = {};
  const visit = (value: unknown, path: string[]) => {
    if (path.length > MAX_NESTING) {
      errors[path.join(".")] = `is nested too deeply: at most ${MAX_NESTING} levels`;
      return;
    }
    if (typeof value === "string") {
      const field = path.join(".") || "value";
      if (value.length > max) errors[field] = tooLongMessage(max);
      else if (value.includes("\u0000")) errors[field] = NUL_MESSAGE;
      else if (scanSecrets && !options.secretsAllowedIn?.includes(path[0] ?? "")) {
        const kind = detectSecret(value);
        if (kind) errors[field] = secretRefusalMessage(kind);
      }
    } else if (Array.isArray(value)) {
      value.forEach((item, index) => visit(item, [...path, String(index)]));
    } else if (value && typeof value === "object" && !(value instanceof Date)) {
      for (const [key, item] of Object.entries(value)) visit(item, [...path, key]);
    }
  };
  visit(input, []);
  return errors;
}

/**
 * The same checks for URL search and path parameters, which reach queries
 * too (no secret scan: nothing in a URL is stored). A repeated parameter is
 * named once ("status", not "status.1").
 */
export function screenParameters(params: Record<string, string | string[] | undefined>): FieldErrors {
  const refused = screenRawInput(params, { secrets: false });
  return Object.fromEntries(Object.entries(refused).map(([field, message]) => [field.split(".")[0]!, message]));
}
