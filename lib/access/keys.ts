import {
  createCipheriv,
  createDecipheriv,
  createPrivateKey,
  generateKeyPairSync,
  hkdfSync,
  randomBytes,
  type KeyObject,
} from "node:crypto";
import { z } from "zod";
import { recordAuditEvent } from "@/lib/audit/record";
import { toAuditActor } from "@/lib/auth/actor";
import { defineMutation } from "@/lib/auth/mutation";
import type { DbOrTx, Tx } from "@/lib/db/client";
import { jitMaxTtlMinutes, jitSigningKeySecret } from "@/lib/env";
import { optionalText } from "@/lib/validation/inventory";

// The keys that sign just-in-time tokens. One key is active and signs every
// new token; rotating retires it and makes a new one. A retired key stays
// published (JWKS) until every token it can have signed has expired, so
// tokens in flight keep verifying across a rotation. Private keys are stored
// encrypted with AES-256-GCM under a key derived from
// WARRANT_SIGNING_KEY_SECRET; a database dump alone cannot mint tokens.

const FORMAT = "v1";

function encryptionKey(): Buffer {
  return Buffer.from(hkdfSync("sha256", jitSigningKeySecret(), "warrant", "jit-signing-key v1", 32));
}

/** "v1.<iv>.<tag>.<ciphertext>"; the kid is bound in as associated data, so a key cannot be moved to another row. */
export function encryptPrivateKey(kid: string, pkcs8: Buffer): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", encryptionKey(), iv);
  cipher.setAAD(Buffer.from(kid));
  const ciphertext = Buffer.concat([cipher.update(pkcs8), cipher.final()]);
  return [FORMAT, iv, cipher.getAuthTag(), ciphertext]
    .map((part) => (typeof part === "string" ? part : part.toString("base64url")))
    .join(".");
}

/** The configured secret does not open the stored key (it was changed, or the row was altered). */
export class SigningKeyUnreadable extends Error {}

export function decryptPrivateKey(kid: string, stored: string): KeyObject {
  const [format, iv, tag, ciphertext] = stored.split(".");
  if (format !== FORMAT || !iv || !tag || !ciphertext) throw new Error(`Signing key ${kid} is stored in an unknown format`);
  const decipher = createDecipheriv("aes-256-gcm", encryptionKey(), Buffer.from(iv, "base64url"));
  decipher.setAAD(Buffer.from(kid));
  decipher.setAuthTag(Buffer.from(tag, "base64url"));
  let pkcs8: Buffer;
  try {
    pkcs8 = Buffer.concat([decipher.update(Buffer.from(ciphertext, "base64url")), decipher.final()]);
  } catch {
    throw new SigningKeyUnreadable(`Signing key ${kid} cannot be decrypted: WARRANT_SIGNING_KEY_SECRET is not the one it was stored with`);
  }
  return createPrivateKey({ key: pkcs8, format: "der", type: "pkcs8" });
}

async function createSigningKey(tx: Tx, now: Date) {
  const { publicKey, privateKey } = generateKeyPairSync("ed25519");
  const kid = `jit-${now.toISOString().slice(0, 10)}-${randomBytes(6).toString("hex")}`;
  const publicJwk = { ...publicKey.export({ format: "jwk" }), kid, alg: "EdDSA", use: "sig" };
  const pkcs8 = privateKey.export({ format: "der", type: "pkcs8" });
  return tx.signingKey.create({ data: { id: kid, publicJwk, privateKey: encryptPrivateKey(kid, pkcs8), createdAt: now } });
}

/** Key writers take turns, so two first tokens cannot each make an "active" key. */
const lockKeys = (tx: Tx) => tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('warrant.signing-keys'))`;

const findActiveKey = (tx: Tx) => tx.signingKey.findFirst({ where: { retiredAt: null }, orderBy: { createdAt: "desc" } });

/**
 * The key that signs new tokens, made on first use. When the configured
 * secret no longer opens it (WARRANT_SIGNING_KEY_SECRET was changed), no token
 * could be signed with it: it is retired and a key made under the current
 * secret, as `signing-keys:rotate` would, with an audit event saying why.
 * Tokens it signed keep verifying while they live (its public key stays
 * published), so changing the secret interrupts nothing.
 */
export async function activeSigningKey(tx: Tx, now: Date): Promise<{ kid: string; privateKey: KeyObject }> {
  let key = await findActiveKey(tx);
  if (!key) {
    await lockKeys(tx);
    key = (await findActiveKey(tx)) ?? (await createSigningKey(tx, now));
  }
  try {
    return { kid: key.id, privateKey: decryptPrivateKey(key.id, key.privateKey) };
  } catch (error) {
    if (!(error instanceof SigningKeyUnreadable)) throw error;
  }
  await lockKeys(tx);
  // Another request may have replaced it while this one waited for the lock.
  const current = await findActiveKey(tx);
  if (current && current.id !== key.id) return activeSigningKey(tx, now);
  const retired = await tx.signingKey.updateManyAndReturn({ where: { retiredAt: null }, data: { retiredAt: now }, select: { id: true } });
  const replacement = await createSigningKey(tx, now);
  const reason = "WARRANT_SIGNING_KEY_SECRET no longer opens the active signing key (the secret was changed): replaced automatically";
  console.warn(`${reason}; retired ${retired.map((row) => row.id).join(", ")}, now signing with ${replacement.id}`);
  await recordAuditEvent(tx, toAuditActor({ kind: "system", label: "Warrant (signing keys)" }), {
    action: "signing_key.rotated",
    targetType: "signing_key",
    targetId: replacement.id,
    data: { kid: replacement.id, retired: retired.map((row) => row.id), reason },
  });
  return { kid: replacement.id, privateKey: decryptPrivateKey(replacement.id, replacement.privateKey) };
}

/** A key retired before this can have signed no token still alive: tokens live at most the maximum TTL. */
function publishedSince(now: Date): Date {
  return new Date(now.getTime() - jitMaxTtlMinutes() * 60_000);
}

/** The public keys that may have signed a live token: the active one and those retired within the maximum TTL. */
export async function publishedKeys(db: DbOrTx, now = new Date()) {
  const keys = await db.signingKey.findMany({
    where: { OR: [{ retiredAt: null }, { retiredAt: { gt: publishedSince(now) } }] },
    orderBy: { createdAt: "desc" },
    select: { id: true, publicJwk: true, retiredAt: true },
  });
  return keys;
}

/** The JSON Web Key Set served at /.well-known/jwks.json. */
export async function jwks(db: DbOrTx, now = new Date()): Promise<{ keys: Record<string, unknown>[] }> {
  return { keys: (await publishedKeys(db, now)).map((key) => key.publicJwk as Record<string, unknown>) };
}

/** One published key by its kid, or null when none (unknown, or retired too long ago to have signed a live token). */
export async function publishedKey(db: DbOrTx, kid: string, now: Date) {
  return db.signingKey.findFirst({
    where: { id: kid, OR: [{ retiredAt: null }, { retiredAt: { gt: publishedSince(now) } }] },
    select: { id: true, publicJwk: true },
  });
}

export const rotateSigningKeyInput = z.object({ reason: optionalText(500) });

/**
 * Retires the active key and makes a new one. Tokens already signed keep
 * working until they expire (the old key stays published that long); every
 * token signed from now on carries the new kid.
 */
export const rotateSigningKey = defineMutation({
  name: "signing-keys.rotate",
  description: "rotate the key that signs just-in-time tokens",
  // The people who may revoke anyone's API token: a signing key is as much a way in.
  permission: "tokens:revoke-any",
  input: rotateSigningKeyInput,
  async run({ tx, audit }, input) {
    const now = new Date();
    await lockKeys(tx);
    const retired = await tx.signingKey.updateManyAndReturn({ where: { retiredAt: null }, data: { retiredAt: now }, select: { id: true } });
    const key = await createSigningKey(tx, now);
    await audit({
      action: "signing_key.rotated",
      targetType: "signing_key",
      targetId: key.id,
      data: { kid: key.id, retired: retired.map((row) => row.id), reason: input.reason },
    });
    return { kid: key.id, retired: retired.map((row) => row.id) };
  },
});
