import { createHash, createPublicKey, sign, verify, type KeyObject } from "node:crypto";
import type { Db, DbOrTx } from "@/lib/db/client";
import { env, parseEd25519PrivateKey } from "@/lib/env";
import { verifyAuditChain } from "./verify";

// Signed checkpoints of the audit chain's head, kept outside the audit table.
// The chain alone proves that no event in the middle was altered or removed,
// but not that the newest events are all there: deleting the tail leaves a
// shorter, valid chain. A checkpoint records "event #seq had this hash at this
// time", signed with Ed25519; `audit:verify` then finds a deleted tail, and
// the public key (`npm run cli -- audit:public-key`) lets anyone check
// checkpoints offline. Writing one records no audit event: that would move the
// head it records, so a checkpoint would never be current.

export interface Checkpoint {
  seq: bigint;
  hash: string;
  createdAt: Date;
  keyId: string;
  signature: string;
}

/** The exact bytes signed: one line per field, so a verifier in any language can rebuild them. */
export function checkpointMessage(checkpoint: Pick<Checkpoint, "seq" | "hash" | "createdAt">): Buffer {
  return Buffer.from(
    `warrant-audit-checkpoint\nseq=${checkpoint.seq}\nhash=${checkpoint.hash}\ntime=${checkpoint.createdAt.toISOString()}\n`,
  );
}

/** Hex SHA-256 of the public key's SPKI DER bytes. */
export function keyIdOf(publicKey: KeyObject): string {
  return createHash("sha256")
    .update(publicKey.export({ format: "der", type: "spki" }))
    .digest("hex");
}

/** The configured signing key (WARRANT_AUDIT_SIGNING_KEY, or the embedded install's own), if any. */
export function auditSigningKey(): KeyObject | undefined {
  const configured = env().WARRANT_AUDIT_SIGNING_KEY;
  return configured ? parseEd25519PrivateKey(configured) : undefined;
}

/** A public key given as PEM or as base64 SPKI DER, checked to be Ed25519. */
export function parsePublicKey(value: string): KeyObject {
  const key = value.includes("-----BEGIN")
    ? createPublicKey(value)
    : createPublicKey({ key: Buffer.from(value.trim(), "base64"), format: "der", type: "spki" });
  if (key.asymmetricKeyType !== "ed25519") throw new Error(`the public key is not an Ed25519 key (${key.asymmetricKeyType})`);
  return key;
}

export type CheckpointResult = { written: true; checkpoint: Checkpoint } | { written: false; reason: string };

/**
 * Signs the current head unless it is already checkpointed. Checks the events
 * since the last checkpoint first, so a broken chain is never signed. Safe to
 * run twice or concurrently: the head's seq is the key, the second insert fails.
 */
export async function writeCheckpoint(db: Db, privateKey: KeyObject): Promise<CheckpointResult> {
  const last = await db.auditCheckpoint.findFirst({ orderBy: { seq: "desc" } });
  const head = await db.auditEvent.findFirst({ orderBy: { seq: "desc" }, select: { seq: true, hash: true } });
  if (!head) return { written: false, reason: "the audit log is empty" };
  if (last && last.seq === head.seq) return { written: false, reason: `the head has not moved since checkpoint #${last.seq}` };
  const segment = await verifyAuditChain(db, last ? { seq: last.seq, hash: last.hash } : undefined);
  if (!segment.ok)
    throw new Error(
      `Not signing a broken audit chain: event #${segment.brokenAtSeq}: ${segment.reason}. Run \`npm run cli -- audit:verify\`.`,
    );
  if (segment.headSeq === null || (last && segment.headSeq < last.seq)) {
    throw new Error(
      `Not signing: the audit log ends before checkpoint #${last?.seq} (the newest events were deleted). Run \`npm run cli -- audit:verify\`.`,
    );
  }
  const content = { seq: segment.headSeq, hash: segment.headHash, createdAt: new Date() };
  const checkpoint: Checkpoint = {
    ...content,
    keyId: keyIdOf(createPublicKey(privateKey)),
    signature: sign(null, checkpointMessage(content), privateKey).toString("base64"),
  };
  try {
    await db.auditCheckpoint.create({ data: checkpoint });
  } catch (error) {
    if ((error as { code?: unknown }).code === "P2002")
      return { written: false, reason: `another run checkpointed #${checkpoint.seq} at the same time` };
    throw error;
  }
  return { written: true, checkpoint };
}

export type CheckpointVerification =
  { ok: true; checkpoints: number; latest: Checkpoint | null } | { ok: false; checkpoints: number; seq: bigint; reason: string };

const BATCH = 1000;

/**
 * Checks every checkpoint against the log: signed by `publicKey`, and the
 * event at its seq still exists with the hash it recorded. Run after the chain
 * itself verified, so an intact chain plus this proves nothing was cut off
 * before the latest checkpoint.
 */
export async function verifyCheckpoints(db: DbOrTx, publicKey: KeyObject, headSeq: bigint | null): Promise<CheckpointVerification> {
  const keyId = keyIdOf(publicKey);
  let checked = 0;
  let latest: Checkpoint | null = null;
  let after = -1n;
  for (;;) {
    const batch = await db.auditCheckpoint.findMany({ where: { seq: { gt: after } }, orderBy: { seq: "asc" }, take: BATCH });
    const events = await db.auditEvent.findMany({
      where: { seq: { in: batch.map((checkpoint) => checkpoint.seq) } },
      select: { seq: true, hash: true },
    });
    const hashes = new Map(events.map((event) => [event.seq, event.hash]));
    for (const checkpoint of batch) {
      const at = checkpoint.createdAt.toISOString();
      if (checkpoint.keyId !== keyId) {
        return {
          ok: false,
          checkpoints: checked,
          seq: checkpoint.seq,
          reason: `the checkpoint of ${at} was signed by another key (${checkpoint.keyId.slice(0, 16)}…), not ${keyId.slice(0, 16)}…`,
        };
      }
      if (!verify(null, checkpointMessage(checkpoint), publicKey, Buffer.from(checkpoint.signature, "base64"))) {
        return {
          ok: false,
          checkpoints: checked,
          seq: checkpoint.seq,
          reason: `the checkpoint of ${at} has an invalid signature (it was forged or altered)`,
        };
      }
      const hash = hashes.get(checkpoint.seq);
      if (hash === undefined) {
        const missing = headSeq === null ? "every event is gone" : `the log now ends at #${headSeq}`;
        return {
          ok: false,
          checkpoints: checked,
          seq: checkpoint.seq,
          reason: `event #${checkpoint.seq}, recorded by the checkpoint of ${at}, is missing: ${missing}, so the newest events were deleted`,
        };
      }
      if (hash !== checkpoint.hash) {
        return {
          ok: false,
          checkpoints: checked,
          seq: checkpoint.seq,
          reason: `event #${checkpoint.seq} no longer has the hash the checkpoint of ${at} recorded (the log was rewritten)`,
        };
      }
      checked += 1;
      latest = checkpoint;
    }
    if (batch.length < BATCH) break;
    after = batch[batch.length - 1]!.seq;
  }
  return { ok: true, checkpoints: checked, latest };
}
