import type { Db, Tx } from "@/lib/db/client";
import { validationError, type FieldErrors } from "@/lib/errors";
import { argumentsHash } from "@/lib/policy/authorize";
import { toJsonValue } from "@/lib/audit/hash";
import { GENESIS_HASH, hashActivityEvent, type ActivityContent } from "./hash";
import { eventField, parseEvents, type EventInput } from "./input";
import { raiseFlags, type RaisedFlag } from "./flags";

// Stores a batch of reported events in the activity chain and raises their
// flags, all in one transaction: the events of a batch are all stored, with
// their flags, or none are. A batch of 1,000 costs a handful of statements:
// the chain's hashes are computed here and the rows go in as one INSERT over
// arrays (unnest).

// Serializes writers of the chain: each batch needs the previous event's hash.
// The lock is released when the transaction ends, so concurrent batches queue
// instead of forking the chain.
const ACTIVITY_CHAIN_LOCK = "warrant.activity_chain";

/** Who reports: an AI identity, by its agent token or a JIT token (lib/auth/agent.ts's AgentCaller fits). */
export interface EventCaller {
  identityId: string;
  credential: { kind: "api_token" | "jit"; id: string };
  jit?: { expiresAt: Date };
}

export interface RecordedEvents {
  count: number;
  /** The stored events' sequence numbers, in the order they were sent (decimal strings: they outgrow JSON numbers). */
  seqs: string[];
  flags: (RaisedFlag & { index: number })[];
}

const ACTIVITY_KIND = { tool_call: "TOOL_CALL", token_use: "TOKEN_USE", privileged_action: "PRIVILEGED_ACTION" } as const;

/** Unknown systems and credentials are bad input (named by field); unknown decisions are a flag, not an error. */
async function checkReferences(db: Db, caller: EventCaller, events: EventInput[], isBatch: boolean): Promise<void> {
  const systemIds = [...new Set(events.flatMap((event) => (event.systemId ? [event.systemId] : [])))];
  const credentialIds = [...new Set(events.flatMap((event) => (event.credentialId ? [event.credentialId] : [])))];
  const [systems, credentials] = await Promise.all([
    systemIds.length > 0 ? db.system.findMany({ where: { id: { in: systemIds } }, select: { id: true } }) : [],
    credentialIds.length > 0
      ? db.credential.findMany({ where: { id: { in: credentialIds }, identityId: caller.identityId }, select: { id: true } })
      : [],
  ]);
  const knownSystems = new Set(systems.map((system) => system.id));
  const knownCredentials = new Set(credentials.map((credential) => credential.id));
  const errors: FieldErrors = {};
  events.forEach((event, index) => {
    if (event.systemId && !knownSystems.has(event.systemId))
      errors[eventField(isBatch, index, "systemId")] = "must be a system in the inventory";
    if (event.credentialId && !knownCredentials.has(event.credentialId))
      errors[eventField(isBatch, index, "credentialId")] = "must be a credential of this identity";
  });
  if (Object.keys(errors).length > 0) throw validationError(errors);
}

function contentOf(caller: EventCaller, event: EventInput, seq: bigint, receivedAt: Date): ActivityContent {
  const hash = event.arguments ? argumentsHash(event.tool!, event.arguments) : (event.argumentsHash ?? null);
  return {
    seq,
    receivedAt,
    occurredAt: event.occurredAt ?? receivedAt,
    identityId: caller.identityId,
    kind: ACTIVITY_KIND[event.kind],
    tool: event.tool ?? null,
    action: event.action ?? null,
    systemId: event.systemId ?? null,
    targetEnvironment: event.targetEnvironment ?? null,
    argumentsHash: hash,
    result: event.result ?? null,
    // An inventory credential named by the event is "credential"; otherwise the one the report came with.
    credentialKind: event.credentialId ? "credential" : caller.credential.kind,
    credentialId: event.credentialId ?? caller.credential.id,
    decisionId: event.decisionId ?? null,
    sessionId: event.sessionId ?? null,
    taskId: event.taskId ?? null,
    detail: toJsonValue(event.detail ?? {}),
  };
}

async function insertEvents(tx: Tx, rows: (ActivityContent & { prevHash: string; hash: string })[]): Promise<void> {
  const column = <T>(pick: (row: (typeof rows)[number]) => T) => rows.map(pick);
  await tx.$executeRawUnsafe(
    `INSERT INTO "ActivityEvent" ("seq", "receivedAt", "occurredAt", "identityId", "kind", "tool", "action", "systemId",
        "targetEnvironment", "argumentsHash", "result", "credentialKind", "credentialId", "decisionId", "sessionId", "taskId",
        "detail", "prevHash", "hash")
     SELECT u.seq, $2::timestamptz, u.occurred, $3, u.kind::"ActivityKind", u.tool, u.action, u.system,
            u.env::"Environment", u.args, u.result, u.ckind, u.cid, u.decision, u.session, u.task, u.detail::jsonb, u.prev, u.hash
       FROM unnest($1::bigint[], $4::timestamptz[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[],
                   $11::text[], $12::text[], $13::text[], $14::text[], $15::text[], $16::text[], $17::text[], $18::text[], $19::text[])
         AS u(seq, occurred, kind, tool, action, system, env, args, result, ckind, cid, decision, session, task, detail, prev, hash)`,
    column((row) => row.seq.toString()),
    rows[0]!.receivedAt.toISOString(),
    rows[0]!.identityId,
    column((row) => row.occurredAt.toISOString()),
    column((row) => row.kind),
    column((row) => row.tool),
    column((row) => row.action),
    column((row) => row.systemId),
    column((row) => row.targetEnvironment),
    column((row) => row.argumentsHash),
    column((row) => row.result),
    column((row) => row.credentialKind),
    column((row) => row.credentialId),
    column((row) => row.decisionId),
    column((row) => row.sessionId),
    column((row) => row.taskId),
    column((row) => JSON.stringify(row.detail)),
    column((row) => row.prevHash),
    column((row) => row.hash),
  );
}

/**
 * Validates and stores one event or a batch ({ events: [...] }, up to 1,000)
 * reported by `caller`, and raises the flags they deserve. The PostToolUse
 * adapter and POST /api/v1/events both come through here.
 */
export async function recordEvents(db: Db, caller: EventCaller, raw: unknown, now = new Date()): Promise<RecordedEvents> {
  const { events, isBatch } = parseEvents(raw, now);
  await checkReferences(db, caller, events, isBatch);
  return db.$transaction(
    async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${ACTIVITY_CHAIN_LOCK}))`;
      const [head] = await tx.$queryRaw<{ seq: bigint; hash: string }[]>`
        SELECT "seq", "hash" FROM "ActivityEvent" ORDER BY "seq" DESC LIMIT 1`;
      let prevHash = head?.hash ?? GENESIS_HASH;
      const firstSeq = (head?.seq ?? 0n) + 1n;
      const rows = events.map((event, index) => {
        const content = contentOf(caller, event, firstSeq + BigInt(index), now);
        const hash = hashActivityEvent(prevHash, content);
        const row = { ...content, prevHash, hash };
        prevHash = hash;
        return row;
      });
      await insertEvents(tx, rows);
      const lastSeq = firstSeq + BigInt(rows.length - 1);
      const flags = await raiseFlags(tx, caller, { firstSeq, lastSeq, receivedAt: now });
      return {
        count: rows.length,
        seqs: rows.map((row) => row.seq.toString()),
        flags: flags.map((flag) => ({ ...flag, index: Number(BigInt(flag.seq) - firstSeq) })),
      };
    },
    { timeout: 60_000, maxWait: 30_000 },
  );
}
