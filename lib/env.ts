import { createPrivateKey } from "node:crypto";
import { z } from "zod";

// Every environment variable Warrant reads is declared here, once. The start
// script validates them before anything else runs, so a missing or malformed
// value stops the app with a message naming it and saying what to set.

const flag = z.enum(["1", "0", "true", "false"], { message: 'use "1" or "0"' }).transform((value) => value === "1" || value === "true");

const postgresUrl = z
  .string()
  .url({ message: "must be a URL like postgresql://user:password@host:5432/warrant" })
  .refine((value) => /^postgres(ql)?:\/\//.test(value), {
    message: "must start with postgresql:// (or postgres://)",
  });

/** Parses a signing key as PEM, or as base64 of its DER bytes. */
export function parseEd25519PrivateKey(value: string) {
  const key = value.includes("-----BEGIN")
    ? createPrivateKey(value)
    : createPrivateKey({ key: Buffer.from(value, "base64"), format: "der", type: "pkcs8" });
  if (key.asymmetricKeyType !== "ed25519") throw new Error(`not an Ed25519 key (${key.asymmetricKeyType})`);
  return key;
}

function isEd25519PrivateKey(value: string): boolean {
  try {
    parseEd25519PrivateKey(value);
    return true;
  } catch {
    return false;
  }
}

const port = z.coerce
  .number({ message: "must be a number" })
  .int({ message: "must be a whole number" })
  .min(1, { message: "must be between 1 and 65535" })
  .max(65535, { message: "must be between 1 and 65535" });

/** Requests a minute for a rate limit; 0 turns it off. */
const perMinute = z.coerce
  .number({ message: "must be a number of requests a minute (0 turns the limit off)" })
  .int({ message: "must be a whole number" })
  .min(0, { message: "must be 0 or more" });

const schema = z
  .object({
    DATABASE_URL: postgresUrl.optional(),
    // The owner role, for migrations; DATABASE_URL is then the app's own role (README "Database roles").
    MIGRATION_DATABASE_URL: postgresUrl.optional(),
    // Ed25519 private key that signs audit checkpoints (PKCS#8, PEM or base64 DER); the embedded install keeps its own in secrets.json.
    WARRANT_AUDIT_SIGNING_KEY: z
      .string()
      .refine(isEd25519PrivateKey, {
        message: "must be an Ed25519 private key in PKCS#8 form, PEM or base64 DER (see README: audit checkpoints)",
      })
      .optional(),
    AUTH_SECRET: z.string().min(32, { message: "must be at least 32 characters (try: openssl rand -base64 33)" }).optional(),
    AUTH_URL: z.string().url({ message: "must be the app's public URL, e.g. https://warrant.example.com" }).optional(),
    AUTH_TRUST_HOST: flag.optional(),
    PORT: port.default(3000),
    // The address the web server (scripts/server.ts) listens on. Unset: every interface, except in demo
    // mode, where it is 127.0.0.1 so one-click sign-in is not offered to the network.
    HOST: z
      .string()
      .regex(/^[A-Za-z0-9.:\[\]-]+$/, { message: "must be a host name or IP address, e.g. 127.0.0.1 or 0.0.0.0" })
      .optional(),
    WARRANT_DEMO: flag.optional(),
    WARRANT_DATA_DIR: z.string().min(1).default(".data"),
    WARRANT_EMBEDDED_PG_PORT: port.default(54320),
    // `npm start` runs the background job worker beside the web server unless this is 0
    // (for deployments that run `npm run worker` separately).
    WARRANT_WORKER: flag.default(true),
    // Set by Next itself ("development" under `next dev`); not validated beyond being text.
    NODE_ENV: z.string().optional(),
    OIDC_ISSUER: z.string().url({ message: "must be the provider's issuer URL, e.g. https://login.example.com/realms/acme" }).optional(),
    OIDC_CLIENT_ID: z.string().min(1).optional(),
    OIDC_CLIENT_SECRET: z.string().min(1).optional(),
    OIDC_DISPLAY_NAME: z.string().min(1).default("single sign-on"),
    // Rate limits (lib/rate-limit.ts), counted per replica. The defaults leave
    // people and well-behaved scripts alone and stop floods.
    WARRANT_RATE_LIMIT_API: perMinute.default(1200),
    WARRANT_RATE_LIMIT_API_ANONYMOUS: perMinute.default(120),
    WARRANT_RATE_LIMIT_AGENT: perMinute.default(120_000),
    WARRANT_RATE_LIMIT_SIGN_IN: perMinute.default(100),
    WARRANT_RATE_LIMIT_IMPORT: perMinute.default(30),
    WARRANT_RATE_LIMIT_EXPORT: perMinute.default(30),
    // Connections of the app's database pool; unset, twice the machine's cores and at least 4 (lib/db/pool.ts appPoolSize).
    WARRANT_DB_POOL_SIZE: z.coerce
      .number({ message: "must be a number" })
      .int({ message: "must be a whole number" })
      .min(1, { message: "must be at least 1" })
      .max(100, { message: "must be at most 100 (PostgreSQL's default max_connections)" })
      .optional(),
    // CSV exports each hold a connection (from a pool of WARRANT_EXPORTS_MAX) while the client reads.
    WARRANT_EXPORTS_MAX: z.coerce
      .number({ message: "must be a number" })
      .int({ message: "must be a whole number" })
      .min(1, { message: "must be at least 1" })
      .default(4),
    WARRANT_EXPORTS_PER_PERSON: z.coerce
      .number({ message: "must be a number" })
      .int({ message: "must be a whole number" })
      .min(1, { message: "must be at least 1" })
      .default(2),
    WARRANT_EXPORT_STALL_SECONDS: z.coerce
      .number({ message: "must be a number of seconds" })
      .int({ message: "must be a whole number of seconds" })
      .min(1, { message: "must be at least 1 second" })
      .default(60),
    // Notifications (lib/notifications): without SMTP_URL, email stays in the outbox for admins to read.
    SMTP_URL: z
      .string()
      .url({ message: "must be a URL like smtp://user:password@mail.example.com:587 (or smtps://… for TLS from the start)" })
      .refine((value) => /^smtps?:\/\//.test(value), { message: "must start with smtp:// or smtps://" })
      .optional(),
    SMTP_FROM: z.string().min(3).optional(),
    // Webhooks may reach loopback, private and link-local addresses only when this is 1 (lib/notifications/webhook-send.ts).
    WARRANT_WEBHOOKS_ALLOW_PRIVATE: flag.default(false),
    // Who may get a Warrant account by signing in with SSO for the first time:
    // anyone the IdP lets in, only people an admin registered beforehand, or only
    // verified addresses in SSO_EMAIL_DOMAINS.
    // Encrypts the keys that sign just-in-time access tokens (lib/access/keys.ts); required in production.
    WARRANT_SIGNING_KEY_SECRET: z.string().min(32, { message: "must be at least 32 characters (try: openssl rand -base64 33)" }).optional(),
    // The longest a just-in-time token may live; requests may ask for less (the default is 15 minutes).
    WARRANT_JIT_MAX_TTL_MINUTES: z.coerce
      .number({ message: "must be a number of minutes" })
      .int({ message: "must be a whole number of minutes" })
      .min(1, { message: "must be at least 1 minute" })
      .max(1440, { message: "must be at most 1440 minutes (a day)" })
      .default(60),
    SSO_NEW_USERS: z
      .enum(["open", "preregistered", "domains"], { message: 'must be "open", "preregistered" or "domains"' })
      .default("open"),
    SSO_EMAIL_DOMAINS: z
      .string()
      .transform((value) =>
        value
          .split(",")
          .map((domain) => domain.trim().toLowerCase().replace(/^@/, ""))
          .filter(Boolean),
      )
      .pipe(
        z.array(
          z
            .string()
            .regex(/^[a-z0-9-]+(\.[a-z0-9-]+)+$/, { message: "must be a comma-separated list of domains, e.g. example.com,example.org" }),
        ),
      )
      .optional(),
  })
  .superRefine((env, ctx) => {
    if (env.MIGRATION_DATABASE_URL && !env.DATABASE_URL) {
      ctx.addIssue({
        code: "custom",
        path: ["DATABASE_URL"],
        message: "is required when MIGRATION_DATABASE_URL is set (it is the app's own role)",
      });
    }
    const oidc = ["OIDC_ISSUER", "OIDC_CLIENT_ID", "OIDC_CLIENT_SECRET"] as const;
    const set = oidc.filter((key) => env[key] !== undefined);
    if (set.length > 0 && set.length < oidc.length) {
      for (const key of oidc.filter((k) => env[k] === undefined)) {
        ctx.addIssue({
          code: "custom",
          path: [key],
          message: `is required when ${set.join(" and ")} ${set.length === 1 ? "is" : "are"} set (SSO needs issuer, client id and client secret)`,
        });
      }
    }
    if (env.SMTP_URL && !env.SMTP_FROM) {
      ctx.addIssue({
        code: "custom",
        path: ["SMTP_FROM"],
        message: 'is required when SMTP_URL is set: the sender address, e.g. "Warrant <warrant@example.com>"',
      });
    }
    if (env.SSO_NEW_USERS === "domains" && !env.SSO_EMAIL_DOMAINS?.length) {
      ctx.addIssue({
        code: "custom",
        path: ["SSO_EMAIL_DOMAINS"],
        message: 'is required when SSO_NEW_USERS is "domains" (e.g. SSO_EMAIL_DOMAINS=example.com)',
      });
    }
  });

export type Env = z.infer<typeof schema>;

export class ConfigError extends Error {
  constructor(public readonly problems: string[]) {
    super(`Warrant cannot start because of its configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

/** Parses the environment; throws ConfigError naming each bad variable. */
export function parseEnv(source: Record<string, string | undefined> = process.env): Env {
  // Empty strings are treated as unset: `FOO= npm start` should not count as a value.
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, value]) => value !== undefined && value !== ""));
  const result = schema.safeParse(cleaned);
  if (!result.success) {
    throw new ConfigError(result.error.issues.map((issue) => `${issue.path.join(".") || "environment"} ${issue.message}`));
  }
  return result.data;
}

/**
 * WARRANT_DB_POOL_SIZE alone, for the database client, which is made when first imported: env()
 * would then be parsed and kept before a test or the start script has set its variables.
 */
export function dbPoolSizeSetting(source: Record<string, string | undefined> = process.env): number | undefined {
  return parseEnv({ WARRANT_DB_POOL_SIZE: source.WARRANT_DB_POOL_SIZE }).WARRANT_DB_POOL_SIZE;
}

let cached: Env | undefined;

export function env(): Env {
  cached ??= parseEnv();
  return cached;
}

/**
 * Where `cli scan --submit` sends its report: a Warrant elsewhere, so none of
 * the server's variables apply. WARRANT_URL and WARRANT_TOKEN (an API token);
 * the command's --url and --token override them.
 */
export function scanSubmitTarget(source: Record<string, string | undefined> = process.env): { url?: string; token?: string } {
  return { url: source.WARRANT_URL || undefined, token: source.WARRANT_TOKEN || undefined };
}

/** Demo sign-in is on only when the start script turned it on (embedded database) or WARRANT_DEMO=1. */
export function isDemoMode(): boolean {
  return env().WARRANT_DEMO === true;
}

/** The app's public origin: AUTH_URL, which `npm start` always sets (default http://localhost:$PORT). */
export function appUrl(): string {
  const { AUTH_URL, PORT } = env();
  return new URL(AUTH_URL ?? `http://localhost:${PORT}`).origin;
}

/** Under `next dev`, whose fast refresh needs eval in the page's script policy. */
export function isDevelopment(): boolean {
  return env().NODE_ENV === "development";
}

/** True for host names and addresses only this machine can reach (localhost, 127.0.0.0/8, ::1). */
export function isLoopbackHost(host: string): boolean {
  const name = host.toLowerCase().replace(/^\[(.*)\]$/, "$1");
  return name === "localhost" || name.endsWith(".localhost") || name === "::1" || /^127(\.\d{1,3}){3}$/.test(name);
}

export function isLoopbackUrl(value: string): boolean {
  return isLoopbackHost(new URL(value).hostname);
}

/** Who may join by signing in with SSO (lib/auth/sso-admission.ts). */
export function ssoPolicy(): { newUsers: Env["SSO_NEW_USERS"]; emailDomains: string[] } {
  const { SSO_NEW_USERS, SSO_EMAIL_DOMAINS } = env();
  return { newUsers: SSO_NEW_USERS, emailDomains: SSO_EMAIL_DOMAINS ?? [] };
}

export function isSsoConfigured(): boolean {
  const { OIDC_ISSUER, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET } = env();
  return Boolean(OIDC_ISSUER && OIDC_CLIENT_ID && OIDC_CLIENT_SECRET);
}

/** Where notifications go (lib/notifications/deliver.ts): SMTP when configured, and whether webhooks may reach private addresses. */
export function notificationSettings(): { smtp: { url: string; from: string } | null; allowPrivateWebhooks: boolean; baseUrl: string } {
  const { SMTP_URL, SMTP_FROM, WARRANT_WEBHOOKS_ALLOW_PRIVATE } = env();
  return {
    smtp: SMTP_URL && SMTP_FROM ? { url: SMTP_URL, from: SMTP_FROM } : null,
    allowPrivateWebhooks: WARRANT_WEBHOOKS_ALLOW_PRIVATE,
    baseUrl: appUrl(),
  };
}

/** The longest a just-in-time token may live, in minutes. */
export function jitMaxTtlMinutes(): number {
  return env().WARRANT_JIT_MAX_TTL_MINUTES;
}

/**
 * The secret that encrypts the keys signing just-in-time tokens. Without
 * WARRANT_SIGNING_KEY_SECRET, development, tests and the demo use a fixed
 * secret (their keys protect nothing real); a production server refuses to
 * issue tokens rather than encrypt keys with a published value.
 */
export function jitSigningKeySecret(config: Env = env()): string {
  const { WARRANT_SIGNING_KEY_SECRET, NODE_ENV, WARRANT_DEMO } = config;
  if (WARRANT_SIGNING_KEY_SECRET) return WARRANT_SIGNING_KEY_SECRET;
  if (NODE_ENV === "production" && WARRANT_DEMO !== true) {
    throw new ConfigError([
      "WARRANT_SIGNING_KEY_SECRET is required in production: it encrypts the keys that sign just-in-time tokens (try: openssl rand -base64 33)",
    ]);
  }
  return "warrant-development-signing-key-secret-not-for-production";
}
