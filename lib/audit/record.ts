import type { Tx } from "@/lib/db/client";
import { Prisma } from "@/lib/db/generated/client";
import type { ActorType } from "@/lib/db/generated/enums";
import { GENESIS_HASH, hashAuditEvent, toJsonValue } from "./hash";

// Writes one audit event inside the caller's transaction, so the event exists
// if and only if the change it records was committed.

// Writers of the chain serialize on an advisory lock ("warrant.audit_chain",
// taken by warrant_audit_chain_head()): each event needs the previous one's
// hash. The lock is released when the surrounding transaction ends.

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

/**
 * The last event each open transaction wrote. A transaction that holds the
 * chain's lock knows the head without asking: it is the event it wrote last,
 * so its next event (an applied approval writes three) skips the lock and the
 * read. Entries go away with their transaction object.
 */
const headWritten = new WeakMap<Tx, { seq: bigint; hash: string }>();

export async function recordAuditEvent(tx: Tx, actor: AuditActor, entry: AuditEntry) {
  const known = headWritten.get(tx);
  if (known) {
    const event = buildEvent(known, actor, entry);
    // Only if that event is still there and still the newest: a rollback to a savepoint may have taken it away
    // (and the lock taken with it), and then the event is written the usual way below.
    const guard = Prisma.sql`WHERE EXISTS (SELECT 1 FROM "AuditEvent" WHERE "seq" = ${known.seq} AND "hash" = ${known.hash})
      AND NOT EXISTS (SELECT 1 FROM "AuditEvent" WHERE "seq" > ${known.seq})`;
    if ((await insertEvent(tx, event, guard)) === 1) return event;
  }
  // Takes the chain's lock, then reads the head: one round trip (prisma/migrations/20261201010000_audit_chain_head).
  const [last] = await tx.$queryRaw<{ seq: bigint; hash: string }[]>`SELECT "seq", "hash" FROM "warrant_audit_chain_head"()`;
  const event = buildEvent(last ?? { seq: 0n, hash: GENESIS_HASH }, actor, entry);
  await insertEvent(tx, event, Prisma.empty);
  return event;
}

type AuditEventRow = ReturnType<typeof buildEvent>;

/**
 * Inserts the event, if `guard` lets it, and remembers it as the head this
 * transaction wrote. Plain SQL: it runs in every audited transaction, and
 * skips the ORM's query planning.
 */
async function insertEvent(tx: Tx, event: AuditEventRow, guard: Prisma.Sql): Promise<number> {
  const inserted = await tx.$executeRaw`
    INSERT INTO "AuditEvent" ("seq", "occurredAt", "actorType", "actorId", "actorLabel", "action", "targetType", "targetId", "data", "prevHash", "hash")
    SELECT ${event.seq}, ${event.occurredAt}, ${event.actorType}::"ActorType", ${event.actorId}, ${event.actorLabel}, ${event.action},
           ${event.targetType}, ${event.targetId}, ${JSON.stringify(event.data)}::jsonb, ${event.prevHash}, ${event.hash}
    ${guard}`;
  if (inserted === 1) headWritten.set(tx, { seq: event.seq, hash: event.hash });
  return inserted;
}

/** The event that follows `previous` in the chain, hashed. */
function buildEvent(previous: { seq: bigint; hash: string }, actor: AuditActor, entry: AuditEntry) {
  const content = {
    seq: previous.seq + 1n,
    occurredAt: new Date(),
    actorType: actor.type,
    actorId: actor.id,
    actorLabel: actor.label,
    action: entry.action,
    targetType: entry.targetType ?? null,
    targetId: entry.targetId ?? null,
    data: toJsonValue(entry.data),
  };
  const hash = hashAuditEvent(previous.hash, content);
  return { ...content, data: content.data ?? {}, prevHash: previous.hash, hash };
}
