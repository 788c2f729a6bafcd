import { createPublicKey, type JsonWebKey, type KeyObject } from "node:crypto";
import { z } from "zod";
import { keyIdOf } from "@/lib/audit/checkpoint";
import type { AuditContent, JsonValue } from "@/lib/audit/hash";

// The evidence package's file format, shared by the writer (package-writer.ts)
// and the verifier (verify.ts) so the two cannot drift apart. A package is a
// zip holding the evidence files, then:
//   evidence-public-key.json  the signing key's public half (JWK, with kid)
//   manifest.json             every other file's SHA-256 and size, plus the period,
//                             scope, frameworks and the audit-chain segment
//   manifest.sig              the Ed25519 signature over manifest.json's exact bytes
// No module here touches the database: an auditor's machine can verify a package.

export const MANIFEST_FILE = "manifest.json";
export const SIGNATURE_FILE = "manifest.sig";
export const PUBLIC_KEY_FILE = "evidence-public-key.json";
export const AUDIT_EVENTS_FILE = "audit/events.jsonl";

/** Names the writer adds itself; an evidence file cannot take them. */
export const RESERVED_FILES = [MANIFEST_FILE, SIGNATURE_FILE, PUBLIC_KEY_FILE] as const;

export const MANIFEST_FORMAT = "warrant-evidence-package";
export const MANIFEST_FORMAT_VERSION = 1;

const hex64 = z.string().regex(/^[0-9a-f]{64}$/, { message: "must be 64 lower-case hex digits" });
const seqString = z.string().regex(/^(0|[1-9][0-9]*)$/, { message: "must be a whole number written as a string" });
const isoDate = z.iso.datetime({ message: "must be an ISO 8601 UTC time" });

const jwk = z.object({ kty: z.literal("OKP"), crv: z.literal("Ed25519"), x: z.string().min(1), kid: hex64 }).loose();

export const manifestSchema = z.object({
  format: z.literal(MANIFEST_FORMAT),
  formatVersion: z.literal(MANIFEST_FORMAT_VERSION),
  generatedAt: isoDate,
  generator: z.object({ name: z.literal("warrant"), version: z.string().min(1) }),
  period: z.object({ from: isoDate, to: isoDate }),
  scope: z.object({ description: z.string() }).catchall(z.json()),
  frameworks: z.array(z.object({ id: z.string().min(1), title: z.string() })),
  chain: z.object({ file: z.string().min(1), fromSeq: seqString, toSeq: seqString, startPrevHash: hex64, endHash: hex64 }).nullable(),
  checkpoints: z.array(z.object({ seq: seqString, hash: hex64, createdAt: isoDate, keyId: hex64, signature: z.string().min(1) })),
  auditPublicKey: jwk.nullable(),
  files: z.array(z.object({ path: z.string().min(1), sha256: hex64, size: z.number().int().nonnegative() })),
});

export type Manifest = z.infer<typeof manifestSchema>;
export type ManifestFile = Manifest["files"][number];
export type ManifestCheckpoint = Manifest["checkpoints"][number];
export type ManifestChain = NonNullable<Manifest["chain"]>;
export type Ed25519Jwk = z.infer<typeof jwk>;

/**
 * manifest.sig: the signature, base64, over manifest.json's exact bytes, with
 * the key's id and manifest.json's SHA-256 beside it. The digest is not needed
 * to verify; it lets the verifier say which of the two files was changed when
 * the signature fails (a bare signature cannot tell them apart).
 */
export const signatureSchema = z.object({
  algorithm: z.literal("Ed25519"),
  keyId: hex64,
  manifestSha256: hex64,
  signature: z.string().regex(/^[A-Za-z0-9+/]+={0,2}$/, { message: "must be base64" }),
});

export type SignatureFile = z.infer<typeof signatureSchema>;

/** An Ed25519 public key as a JWK whose `kid` follows the audit checkpoints' rule (SHA-256 hex of the SPKI DER). */
export function publicKeyToJwk(publicKey: KeyObject): Ed25519Jwk {
  if (publicKey.asymmetricKeyType !== "ed25519") throw new Error(`not an Ed25519 key (${publicKey.asymmetricKeyType})`);
  const exported = publicKey.export({ format: "jwk" });
  if (typeof exported.x !== "string") throw new Error("the exported JWK has no x");
  return { kty: "OKP", crv: "Ed25519", x: exported.x, kid: keyIdOf(publicKey) };
}

/** The key a JWK holds; the caller compares `keyIdOf(key)` with the JWK's kid. */
export function jwkToPublicKey(value: Ed25519Jwk): KeyObject {
  const key = createPublicKey({ key: { kty: value.kty, crv: value.crv, x: value.x } as JsonWebKey, format: "jwk" });
  if (key.asymmetricKeyType !== "ed25519") throw new Error(`not an Ed25519 key (${key.asymmetricKeyType})`);
  return key;
}

/** One line of audit/events.jsonl: an audit event as stored, seq as a string and time as ISO 8601. */
export interface AuditEventRecord {
  seq: string;
  occurredAt: string;
  actorType: string;
  actorId: string | null;
  actorLabel: string;
  action: string;
  targetType: string | null;
  targetId: string | null;
  data: JsonValue;
  prevHash: string;
  hash: string;
}

/** The record for one stored audit event; keys in a fixed order so the same event always writes the same line. */
export function toAuditEventRecord(event: AuditContent & { prevHash: string; hash: string }): AuditEventRecord {
  return {
    seq: event.seq.toString(),
    occurredAt: event.occurredAt.toISOString(),
    actorType: event.actorType,
    actorId: event.actorId,
    actorLabel: event.actorLabel,
    action: event.action,
    targetType: event.targetType,
    targetId: event.targetId,
    data: event.data,
    prevHash: event.prevHash,
    hash: event.hash,
  };
}
