import { generateKeyPairSync, type KeyObject } from "node:crypto";
import { keyIdOf } from "@/lib/audit/checkpoint";
import { decryptPrivateKey, encryptPrivateKey } from "@/lib/access/keys";
import type { DbOrTx, Tx } from "@/lib/db/client";
import { publicKeyToJwk, type Ed25519Jwk } from "./format";

// The key that signs evidence manifests: made on first use, its private half
// stored encrypted under WARRANT_SIGNING_KEY_SECRET like the just-in-time
// signing keys (lib/access/keys.ts), its public half published for good at
// /.well-known/warrant-evidence-keys.json: a package is verified years after
// it was built, so no evidence key is ever withdrawn from the list.

const lockKeys = (tx: Tx) => tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('warrant.evidence-keys'))`;

/** The key that signs new packages and its id (the manifests' keyId). */
export async function activeEvidenceKey(tx: Tx): Promise<{ keyId: string; privateKey: KeyObject }> {
  let key = await tx.evidenceKey.findFirst({ where: { retiredAt: null }, orderBy: { createdAt: "desc" } });
  if (!key) {
    await lockKeys(tx);
    key = await tx.evidenceKey.findFirst({ where: { retiredAt: null }, orderBy: { createdAt: "desc" } });
  }
  if (!key) {
    const { publicKey, privateKey } = generateKeyPairSync("ed25519");
    const keyId = keyIdOf(publicKey);
    key = await tx.evidenceKey.create({
      data: {
        id: keyId,
        publicJwk: { ...publicKeyToJwk(publicKey) } as Record<string, string>,
        privateKey: encryptPrivateKey(keyId, privateKey.export({ format: "der", type: "pkcs8" })),
      },
    });
  }
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
