import { createHash } from "node:crypto";

// The audit chain's hashing rule, kept pure so the CLI, the app and offline
// verifiers compute exactly the same thing:
//   hash = sha256_hex(prevHash + canonicalJson(content))
// where content holds every stored field of the event except the two hashes.

export const GENESIS_HASH = "0".repeat(64);

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

export interface AuditContent {
  seq: bigint;
  occurredAt: Date;
  actorType: string;
  actorId: string | null;
  actorLabel: string;
  action: string;
  targetType: string | null;
  targetId: string | null;
  data: JsonValue;
}

/** JSON with object keys sorted at every depth, so equal values always serialize the same way. */
export function canonicalJson(value: JsonValue): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  const keys = Object.keys(value).sort();
  return `{${keys.map((key) => `${JSON.stringify(key)}:${canonicalJson(value[key] as JsonValue)}`).join(",")}}`;
}

/** Converts arbitrary data to the JSON PostgreSQL will hand back (dates become ISO strings, undefined disappears). */
export function toJsonValue(data: unknown): JsonValue {
  return data === undefined ? {} : (JSON.parse(JSON.stringify(data)) as JsonValue);
}

/** SHA-256 of a label and a value's canonical JSON: the same content hashes the same however its keys were ordered. */
export function labelledContentHash(label: string, value: unknown): string {
  return createHash("sha256")
    .update(label)
    .update("\n")
    .update(canonicalJson(toJsonValue(value)))
    .digest("hex");
}

export function hashAuditEvent(prevHash: string, content: AuditContent): string {
  const canonical = canonicalJson({
    seq: content.seq.toString(),
    occurredAt: content.occurredAt.toISOString(),
    actorType: content.actorType,
    actorId: content.actorId,
    actorLabel: content.actorLabel,
    action: content.action,
    targetType: content.targetType,
    targetId: content.targetId,
    data: content.data,
  });
  return createHash("sha256").update(prevHash).update(canonical).digest("hex");
}
