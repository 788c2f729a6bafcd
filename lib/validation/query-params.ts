import { z } from "zod";

// Helpers for URL query parameters, shared by the browser's pages and the API.

/**
 * A yes/no query parameter: "1" or "true" is yes, "0" or "false" is no.
 * An empty value (`?overdue=`) means the parameter was not given, because
 * HTML forms send every field, filled or not; anything else is refused.
 */
export const queryFlag = z.preprocess(
  (value) => (value === "" ? undefined : value),
  z
    .enum(["1", "0", "true", "false"], { message: 'must be "1" or "0"' })
    .transform((value) => value === "1" || value === "true")
    .optional(),
);
