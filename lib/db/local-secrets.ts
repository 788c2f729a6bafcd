import { generateKeyPairSync, randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { lstat, mkdir, readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";

// Secrets a local install needs are generated once per installation and kept
// in one file under the data directory, `<data dir>/secrets.json`, readable
// by its owner only. The file is checked on every start, not only when it is
// made: a copy or a restore can leave it readable by everyone.

export interface LocalSecrets {
  /** Signs session cookies (scripts/start.ts uses it when AUTH_SECRET is not set). */
  AUTH_SECRET: string;
  /** The embedded PostgreSQL's superuser: owns the schema and runs migrations. */
  POSTGRES_PASSWORD: string;
  /** The embedded PostgreSQL's app role: what the web server, the worker and the CLI connect as. */
  APP_DB_PASSWORD: string;
  /** Ed25519 private key (PKCS#8 DER, base64) that signs audit checkpoints when WARRANT_AUDIT_SIGNING_KEY is not set. */
  AUDIT_SIGNING_KEY: string;
}

const GENERATORS: { [K in keyof LocalSecrets]: () => string } = {
  AUTH_SECRET: () => randomBytes(33).toString("base64"),
  POSTGRES_PASSWORD: () => randomBytes(24).toString("base64url"),
  APP_DB_PASSWORD: () => randomBytes(24).toString("base64url"),
  AUDIT_SIGNING_KEY: () => generateKeyPairSync("ed25519").privateKey.export({ format: "der", type: "pkcs8" }).toString("base64"),
};

export class LocalSecretsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "LocalSecretsError";
  }
}

export function localSecretsFile(dataDir: string): string {
  return path.resolve(dataDir, "secrets.json");
}

/**
 * Refuses (rather than repairs) a secrets file others could read or that
 * belongs to someone else: its passwords and keys may already have been
 * copied, so the operator has to decide, and a silent chmod would hide that.
 */
async function checkFile(file: string): Promise<void> {
  const info = await lstat(file);
  if (!info.isFile())
    throw new LocalSecretsError(
      `${file} is not a regular file (a symbolic link or a directory); Warrant keeps its secrets in a plain file there.`,
    );
  const uid = process.getuid?.();
  if (uid !== undefined && info.uid !== uid) {
    throw new LocalSecretsError(
      `${file} belongs to user id ${info.uid}, not to the user running Warrant (${uid}). Run Warrant as its owner, or give it to this user: chown ${uid} ${file}`,
    );
  }
  // Windows has no such mode bits (files inherit the folder's ACL); there the check is the folder's.
  if (process.platform !== "win32" && (info.mode & 0o077) !== 0) {
    const mode = (info.mode & 0o777).toString(8).padStart(4, "0");
    throw new LocalSecretsError(
      `${file} can be read or changed by other users (mode ${mode}). It holds this installation's database passwords and signing key. ` +
        `Run \`chmod 600 ${file}\` and start again; if other people could log in to this machine, also consider the secrets exposed ` +
        `(stop Warrant, delete the file and the data directory's postgres folder, and start afresh).`,
    );
  }
}

/** Reads `<dataDir>/secrets.json`, adding any secret it lacks (an install from before that secret existed). */
export async function ensureLocalSecrets(dataDir: string): Promise<LocalSecrets> {
  const file = localSecretsFile(dataDir);
  let stored: Partial<LocalSecrets> = {};
  if (existsSync(file)) {
    await checkFile(file);
    try {
      stored = JSON.parse(await readFile(file, "utf8")) as Partial<LocalSecrets>;
    } catch {
      throw new LocalSecretsError(`${file} is not valid JSON. Restore it from a backup, or delete it to start a fresh installation.`);
    }
  }
  const missing = (Object.keys(GENERATORS) as (keyof LocalSecrets)[]).filter(
    (key) => typeof stored[key] !== "string" || stored[key] === "",
  );
  if (missing.length === 0) return stored as LocalSecrets;
  const secrets = { ...stored } as LocalSecrets;
  for (const key of missing) secrets[key] = GENERATORS[key]();
  await mkdir(path.dirname(file), { recursive: true });
  // Written beside the file, then renamed over it, so a crash never leaves half a file.
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  await rename(temporary, file);
  return secrets;
}
