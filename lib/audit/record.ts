import type { Tx } from "@/lib/db/client";
import type { ActorType } from "@/lib/db/generated/enums";
import { GENESIS_HASH, hashAuditEvent, toJsonValue } from "./hash";

// Writes one audit event inside the caller's transaction, so the event exists
// if and only if the change it records was committed.

// Serializes writers of the chain: each event needs the previous one's hash.
// The lock is released when the surrounding transaction ends.
const AUDIT_CHAIN_LOCK = "warrant.audit_chain";

export interface AuditActor {
  type: ActorType;
  id: string | null;
  label: string;
}

export interface AuditEntry {
  action: string;
  targetType?: string;
  targetId?: string;
  data?: unknown;
}

export async function recordAuditEvent(tx: Tx, actor: AuditActor, entry: AuditEntry) {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${AUDIT_CHAIN_LOCK}))`;
  const last = await tx.auditEvent.findFirst({ orderBy: { seq: "desc" }, select: { seq: true, hash: true } });
  const seq = (last?.seq ?? 0n) + 1n;
  const prevHash = last?.hash ?? GENESIS_HASH;
  const content = {
    seq,
    occurredAt: new Date(),
    actorType: actor.type,
    actorId: actor.id,
    actorLabel: actor.label,
    action: entry.action,
    targetType: entry.targetType ?? null,
    targetId: entry.targetId ?? null,
    data: toJsonValue(entry.data),
  };
  const hash = hashAuditEvent(prevHash, content);
  return tx.auditEvent.create({ data: { ...content, data: content.data ?? {}, prevHash, hash } });
}
