import { generateKeyPairSync, type KeyObject } from "node:crypto";
import { keyIdOf } from "@/lib/audit/checkpoint";
import { decryptPrivateKey, encryptPrivateKey, SigningKeyUnreadable } from "@/lib/access/keys";
import { recordAuditEvent } from "@/lib/audit/record";
import { toAuditActor } from "@/lib/auth/actor";
import type { DbOrTx, Tx } from "@/lib/db/client";
import { publicKeyToJwk, type Ed25519Jwk } from "./format";

// The key that signs evidence manifests: made on first use, its private half
// stored encrypted under WARRANT_SIGNING_KEY_SECRET like the just-in-time
// signing keys (lib/access/keys.ts), its public half published for good at
// /.well-known/warrant-evidence-keys.json: a package is verified years after
// it was built, so no evidence key is ever withdrawn from the list.

const lockKeys = (tx: Tx) => tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('warrant.evidence-keys'))`;

const findActiveKey = (tx: Tx) => tx.evidenceKey.findFirst({ where: { retiredAt: null }, orderBy: { createdAt: "desc" } });

async function createEvidenceKey(tx: Tx) {
  const { publicKey, privateKey } = generateKeyPairSync("ed25519");
  const keyId = keyIdOf(publicKey);
  return tx.evidenceKey.create({
    data: {
      id: keyId,
      publicJwk: { ...publicKeyToJwk(publicKey) } as Record<string, string>,
      privateKey: encryptPrivateKey(keyId, privateKey.export({ format: "der", type: "pkcs8" })),
    },
  });
}

/**
 * The key that signs new packages and its id (the manifests' keyId). When the configured secret no
 * longer opens it (WARRANT_SIGNING_KEY_SECRET was changed), it is retired and a new key made, as for
 * the just-in-time keys: packages it signed keep verifying, since its public half stays published.
 */
export async function activeEvidenceKey(tx: Tx): Promise<{ keyId: string; privateKey: KeyObject }> {
  await lockKeys(tx);
  let key = (await findActiveKey(tx)) ?? (await createEvidenceKey(tx));
  try {
    return { keyId: key.id, privateKey: decryptPrivateKey(key.id, key.privateKey) };
  } catch (error) {
    if (!(error instanceof SigningKeyUnreadable)) throw error;
  }
  await tx.evidenceKey.updateMany({ where: { retiredAt: null }, data: { retiredAt: new Date() } });
  key = await createEvidenceKey(tx);
  await recordAuditEvent(tx, toAuditActor({ kind: "system", label: "Warrant (evidence keys)" }), {
    action: "evidence_key.rotated",
    targetType: "evidence_key",
    targetId: key.id,
    data: { reason: "WARRANT_SIGNING_KEY_SECRET no longer opens the active evidence key (the secret was changed): replaced automatically" },
  });
  return { keyId: key.id, privateKey: decryptPrivateKey(key.id, key.privateKey) };
}

/** Every evidence key's public half, oldest first, with when it signed. */
export async function publishedEvidenceKeys(
  db: DbOrTx,
): Promise<{ keys: (Ed25519Jwk & { createdAt: string; retiredAt: string | null })[] }> {
  const keys = await db.evidenceKey.findMany({ orderBy: { createdAt: "asc" } });
  return {
    keys: keys.map((key) => ({
      ...(key.publicJwk as Ed25519Jwk),
      createdAt: key.createdAt.toISOString(),
      retiredAt: key.retiredAt?.toISOString() ?? null,
    })),
  };
}
