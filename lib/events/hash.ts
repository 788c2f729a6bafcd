import { createHash } from "node:crypto";
import { canonicalJson, type JsonValue } from "@/lib/audit/hash";

// The activity chain's hashing rule, the audit chain's (lib/audit/hash.ts) over
// an activity event's fields, kept pure so the ingest, the verifier and an
// offline checker compute exactly the same thing:
//   hash = sha256_hex(prevHash + canonicalJson(content))
// where content holds every stored field of the event except the two hashes.

export { GENESIS_HASH } from "@/lib/audit/hash";

export interface ActivityContent {
  seq: bigint;
  receivedAt: Date;
  occurredAt: Date;
  identityId: string;
  kind: string;
  tool: string | null;
  action: string | null;
  systemId: string | null;
  targetEnvironment: string | null;
  argumentsHash: string | null;
  result: string | null;
  credentialKind: string;
  credentialId: string;
  decisionId: string | null;
  sessionId: string | null;
  taskId: string | null;
  detail: JsonValue;
}

export function hashActivityEvent(prevHash: string, content: ActivityContent): string {
  const canonical = canonicalJson({
    seq: content.seq.toString(),
    receivedAt: content.receivedAt.toISOString(),
    occurredAt: content.occurredAt.toISOString(),
    identityId: content.identityId,
    kind: content.kind,
    tool: content.tool,
    action: content.action,
    systemId: content.systemId,
    targetEnvironment: content.targetEnvironment,
    argumentsHash: content.argumentsHash,
    result: content.result,
    credentialKind: content.credentialKind,
    credentialId: content.credentialId,
    decisionId: content.decisionId,
    sessionId: content.sessionId,
    taskId: content.taskId,
    detail: content.detail,
  });
  return createHash("sha256").update(prevHash).update(canonical).digest("hex");
}
