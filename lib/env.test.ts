import { generateKeyPairSync } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, jitSigningKeySecret, parseEnv } from "./env";

function problems(source: Record<string, string>): string[] {
  try {
    parseEnv(source);
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
}

describe("parseEnv", () => {
  it("accepts an empty environment with defaults", () => {
    const env = parseEnv({});
    expect(env.PORT).toBe(3000);
    expect(env.WARRANT_DATA_DIR).toBe(".data");
    expect(env.DATABASE_URL).toBeUndefined();
  });

  it("names a malformed DATABASE_URL and says what to set", () => {
    const found = problems({ DATABASE_URL: "mysql://localhost/warrant" });
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(/^DATABASE_URL must start with postgresql:\/\//);
  });

  it("needs DATABASE_URL (the app role) beside MIGRATION_DATABASE_URL, and a real Ed25519 key to sign checkpoints", () => {
    expect(problems({ MIGRATION_DATABASE_URL: "postgresql://owner@db/warrant" })[0]).toMatch(
      /^DATABASE_URL is required when MIGRATION_DATABASE_URL is set/,
    );
    expect(problems({ WARRANT_AUDIT_SIGNING_KEY: "not-a-key" })[0]).toMatch(/^WARRANT_AUDIT_SIGNING_KEY must be an Ed25519 private key/);
    const pem = generateKeyPairSync("ed25519").privateKey.export({ format: "pem", type: "pkcs8" }).toString();
    expect(parseEnv({ WARRANT_AUDIT_SIGNING_KEY: pem }).WARRANT_AUDIT_SIGNING_KEY).toBe(pem);
    const rsa = generateKeyPairSync("rsa", { modulusLength: 1024 }).privateKey.export({ format: "pem", type: "pkcs8" }).toString();
    expect(problems({ WARRANT_AUDIT_SIGNING_KEY: rsa })).toHaveLength(1);
  });

  it("names a bad PORT", () => {
    expect(problems({ PORT: "http" })[0]).toMatch(/^PORT must be a number/);
    expect(problems({ PORT: "70000" })[0]).toMatch(/^PORT must be between 1 and 65535/);
  });

  it("requires the whole OIDC triple once any part of it is set", () => {
    const found = problems({ OIDC_ISSUER: "https://login.example.com" });
    expect(found).toEqual([
      expect.stringMatching(/^OIDC_CLIENT_ID is required when OIDC_ISSUER is set/),
      expect.stringMatching(/^OIDC_CLIENT_SECRET is required when OIDC_ISSUER is set/),
    ]);
  });

  it("rejects a short AUTH_SECRET and an unclear WARRANT_DEMO", () => {
    expect(problems({ AUTH_SECRET: "short" })[0]).toMatch(/^AUTH_SECRET must be at least 32 characters/);
    expect(problems({ WARRANT_DEMO: "yes" })[0]).toMatch(/^WARRANT_DEMO use "1" or "0"/);
  });

  it("runs the job worker beside the app unless WARRANT_WORKER=0, and names an unclear value", () => {
    expect(parseEnv({}).WARRANT_WORKER).toBe(true);
    expect(parseEnv({ WARRANT_WORKER: "0" }).WARRANT_WORKER).toBe(false);
    expect(problems({ WARRANT_WORKER: "off" })[0]).toMatch(/^WARRANT_WORKER use "1" or "0"/);
  });

  it("takes WARRANT_DB_POOL_SIZE as a number of connections, and names a bad one", () => {
    expect(parseEnv({}).WARRANT_DB_POOL_SIZE).toBeUndefined();
    expect(parseEnv({ WARRANT_DB_POOL_SIZE: "6" }).WARRANT_DB_POOL_SIZE).toBe(6);
    expect(problems({ WARRANT_DB_POOL_SIZE: "0" })[0]).toMatch(/^WARRANT_DB_POOL_SIZE must be at least 1/);
    expect(problems({ WARRANT_DB_POOL_SIZE: "many" })[0]).toMatch(/^WARRANT_DB_POOL_SIZE must be a number/);
  });

  it("treats empty values as unset", () => {
    expect(parseEnv({ DATABASE_URL: "" }).DATABASE_URL).toBeUndefined();
  });

  it("takes SSO_NEW_USERS with its domains, and names what is missing or malformed", () => {
    expect(parseEnv({}).SSO_NEW_USERS).toBe("open");
    expect(parseEnv({ SSO_NEW_USERS: "domains", SSO_EMAIL_DOMAINS: " Example.com, @example.org " }).SSO_EMAIL_DOMAINS).toEqual([
      "example.com",
      "example.org",
    ]);
    expect(problems({ SSO_NEW_USERS: "domains" })[0]).toMatch(/^SSO_EMAIL_DOMAINS is required when SSO_NEW_USERS is "domains"/);
    expect(problems({ SSO_NEW_USERS: "invite" })[0]).toMatch(/^SSO_NEW_USERS must be "open", "preregistered" or "domains"/);
    expect(problems({ SSO_NEW_USERS: "domains", SSO_EMAIL_DOMAINS: "example.com,not a domain" })[0]).toMatch(
      /^SSO_EMAIL_DOMAINS\.1 must be a comma-separated list of domains/,
    );
  });

  it("takes SMTP_URL with SMTP_FROM, and names what is missing or malformed", () => {
    expect(parseEnv({ SMTP_URL: "smtp://mail.example.com:587", SMTP_FROM: "Warrant <warrant@example.com>" })).toMatchObject({
      SMTP_URL: "smtp://mail.example.com:587",
      SMTP_FROM: "Warrant <warrant@example.com>",
      WARRANT_WEBHOOKS_ALLOW_PRIVATE: false,
    });
    expect(problems({ SMTP_URL: "smtp://mail.example.com:587" })).toEqual([
      'SMTP_FROM is required when SMTP_URL is set: the sender address, e.g. "Warrant <warrant@example.com>"',
    ]);
    expect(problems({ SMTP_URL: "https://mail.example.com", SMTP_FROM: "w@example.com" })).toEqual([
      "SMTP_URL must start with smtp:// or smtps://",
    ]);
    expect(problems({ WARRANT_WEBHOOKS_ALLOW_PRIVATE: "yes" })).toEqual(['WARRANT_WEBHOOKS_ALLOW_PRIVATE use "1" or "0"']);
  });

  it("takes HOST as an address and refuses anything else", () => {
    expect(parseEnv({ HOST: "0.0.0.0" }).HOST).toBe("0.0.0.0");
    expect(parseEnv({ HOST: "::1" }).HOST).toBe("::1");
    expect(problems({ HOST: "0.0.0.0; rm -rf /" })[0]).toMatch(/^HOST must be a host name or IP address/);
  });
});

describe("where the environment is read", () => {
  // Everything Next serves outside lib/ (pages, route handlers, components and
  // proxy.ts) gets configuration through lib/env.ts, so a bad value is named
  // at start-up instead of misbehaving per request.
  function sourceFiles(dir: string): string[] {
    return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) return sourceFiles(file);
      return /\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) ? [file] : [];
    });
  }

  it("is never process.env in app/, components/ or proxy.ts", () => {
    const files = [...sourceFiles("app"), ...sourceFiles("components"), "proxy.ts"];
    expect(files.length).toBeGreaterThan(50);
    expect(files.filter((file) => readFileSync(file, "utf8").includes("process.env"))).toEqual([]);
  });
});

describe("the just-in-time signing key secret", () => {
  it("is required in production, and only there (the demo and development use a fixed one)", () => {
    const secret = "s".repeat(40);
    expect(jitSigningKeySecret(parseEnv({ NODE_ENV: "production", WARRANT_SIGNING_KEY_SECRET: secret }))).toBe(secret);
    expect(() => jitSigningKeySecret(parseEnv({ NODE_ENV: "production" }))).toThrow(/WARRANT_SIGNING_KEY_SECRET is required in production/);
    expect(jitSigningKeySecret(parseEnv({ NODE_ENV: "production", WARRANT_DEMO: "1" }))).toMatch(/development/);
    expect(jitSigningKeySecret(parseEnv({}))).toMatch(/development/);
    expect(problems({ WARRANT_SIGNING_KEY_SECRET: "short" })).toEqual([
      "WARRANT_SIGNING_KEY_SECRET must be at least 32 characters (try: openssl rand -base64 33)",
    ]);
    expect(problems({ WARRANT_JIT_MAX_TTL_MINUTES: "0" })).toEqual(["WARRANT_JIT_MAX_TTL_MINUTES must be at least 1 minute"]);
  });
});
