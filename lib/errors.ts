import { z } from "zod";

// Expected failures carry a code, an HTTP status and a message a person can act
// on. Anything else is a bug: logged in full, answered with a generic message.

export type ErrorCode =
  "bad_request" | "unauthenticated" | "forbidden" | "not_found" | "conflict" | "validation_failed" | "payload_too_large" | "rate_limited";

const STATUS: Record<ErrorCode, number> = {
  bad_request: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  validation_failed: 422,
  payload_too_large: 413,
  rate_limited: 429,
};

export type FieldErrors = Record<string, string>;

export class AppError extends Error {
  constructor(
    public readonly code: ErrorCode,
    message: string,
    public readonly fields?: FieldErrors,
  ) {
    super(message);
    this.name = "AppError";
  }

  get status(): number {
    return STATUS[this.code];
  }
}

export const unauthenticated = () => new AppError("unauthenticated", "Sign in first (or send a valid API token).");
export const forbidden = (what = "do this") => new AppError("forbidden", `You are not allowed to ${what}.`);
export const notFound = (what: string) => new AppError("not_found", `${what} was not found.`);

/** Field path → first message, e.g. { "email": "must be an email address" }. */
export function fieldErrorsFromZod(error: z.ZodError): FieldErrors {
  const fields: FieldErrors = {};
  for (const issue of error.issues) {
    const key = issue.path.join(".") || "_";
    fields[key] ??= issue.message;
  }
  return fields;
}

export function validationError(fields: FieldErrors): AppError {
  const summary = Object.entries(fields)
    .map(([field, message]) => `${field}: ${message}`)
    .join("; ");
  return new AppError("validation_failed", `Some fields are not valid — ${summary}`, fields);
}

function isUniqueViolation(error: unknown): error is { code: string; meta?: { target?: unknown } } {
  return typeof error === "object" && error !== null && (error as { code?: unknown }).code === "P2002";
}

/** Turns known database errors into AppErrors; returns undefined for real bugs. */
export function toAppError(error: unknown): AppError | undefined {
  if (error instanceof AppError) return error;
  if (error instanceof z.ZodError) return validationError(fieldErrorsFromZod(error));
  if (isUniqueViolation(error)) {
    return new AppError("conflict", "Something with the same unique name already exists.");
  }
  return undefined;
}
