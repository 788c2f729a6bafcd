import { AppError } from "@/lib/errors";
import { env } from "@/lib/env";

// Rate limits for the API, sign-in, CSV import and export: one token bucket
// per key (a token, a person, a client address), refilled evenly over a
// minute, so a client can burst up to its limit and then continues at the
// limit's pace.
//
// The buckets live in this process: with several replicas behind a load
// balancer each replica counts on its own, so a client can make up to
// (limit × replicas) requests a minute. That keeps the limits free of a
// shared store and is enough for their purpose (stopping floods and runaway
// scripts, not metering).

const WINDOW_MS = 60_000;
/** Beyond this many keys, buckets that have filled up again are forgotten. */
const MAX_KEYS = 10_000;

/** A 429: the caller should wait `retryAfterSeconds` (sent as the Retry-After header). */
export class RateLimitedError extends AppError {
  constructor(
    message: string,
    public readonly retryAfterSeconds: number,
  ) {
    super("rate_limited", message);
  }
}

export interface RateLimiter {
  /** Takes one request from `key`'s bucket, or throws RateLimitedError when it is empty. */
  take(key: string, now?: number): void;
  /** True when `key` has nothing left, without taking anything. */
  isExhausted(key: string, now?: number): boolean;
}

interface Bucket {
  tokens: number;
  updatedAt: number;
}

/** `perMinute` is read on each call, so tests and configuration can set it; 0 turns the limit off. */
export function createRateLimiter(what: string, perMinute: () => number): RateLimiter {
  const buckets = new Map<string, Bucket>();

  function refill(key: string, limit: number, now: number): Bucket {
    const bucket = buckets.get(key) ?? { tokens: limit, updatedAt: now };
    bucket.tokens = Math.min(limit, bucket.tokens + ((now - bucket.updatedAt) * limit) / WINDOW_MS);
    bucket.updatedAt = now;
    return bucket;
  }

  function forgetFullBuckets(limit: number, now: number) {
    if (buckets.size < MAX_KEYS) return;
    for (const [key, bucket] of buckets) {
      if (bucket.tokens + ((now - bucket.updatedAt) * limit) / WINDOW_MS >= limit) buckets.delete(key);
    }
  }

  return {
    take(key, now = Date.now()) {
      const limit = perMinute();
      if (limit <= 0) return;
      forgetFullBuckets(limit, now);
      const bucket = refill(key, limit, now);
      if (bucket.tokens < 1) {
        const retryAfterSeconds = Math.max(1, Math.ceil(((1 - bucket.tokens) * WINDOW_MS) / limit / 1000));
        buckets.set(key, bucket);
        throw new RateLimitedError(
          `Too many ${what}: at most ${limit} a minute. Try again in ${retryAfterSeconds} seconds.`,
          retryAfterSeconds,
        );
      }
      bucket.tokens -= 1;
      buckets.set(key, bucket);
    },
    isExhausted(key, now = Date.now()) {
      const limit = perMinute();
      if (limit <= 0 || !buckets.has(key)) return false;
      return refill(key, limit, now).tokens < 1;
    },
  };
}

export const rateLimits = {
  /** API requests, per token. */
  api: createRateLimiter("API requests", () => env().WARRANT_RATE_LIMIT_API),
  /** Runtime requests of AI identities (authorize, events, hooks), per agent credential. */
  agent: createRateLimiter("agent requests", () => env().WARRANT_RATE_LIMIT_AGENT),
  /** API requests without a valid token, per client address. */
  apiAnonymous: createRateLimiter("API requests without a valid token", () => env().WARRANT_RATE_LIMIT_API_ANONYMOUS),
  /** Sign-in attempts (demo sign-in and Auth.js's routes), per client address. */
  signIn: createRateLimiter("sign-in attempts", () => env().WARRANT_RATE_LIMIT_SIGN_IN),
  /** CSV imports and their previews, per person. */
  import: createRateLimiter("imports", () => env().WARRANT_RATE_LIMIT_IMPORT),
  /** CSV exports, per person. */
  export: createRateLimiter("exports", () => env().WARRANT_RATE_LIMIT_EXPORT),
};

/**
 * The client's address as the nearest proxy saw it: the last X-Forwarded-For
 * entry (Next sets the header from the connection when a client sends none;
 * a proxy appends the address it was reached from). A client that reaches
 * Warrant directly can send its own header, so per-address limits assume a
 * proxy in front that sets it.
 */
export function clientAddress(headers: Headers): string {
  const forwarded = headers.get("x-forwarded-for");
  const last = forwarded?.split(",").at(-1)?.trim();
  return last || headers.get("x-real-ip")?.trim() || "unknown";
}
