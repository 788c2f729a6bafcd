import type { Tx } from "@/lib/db/client";
import { Prisma } from "@/lib/db/generated/client";
import type { ActorType } from "@/lib/db/generated/enums";
import { GENESIS_HASH, hashAuditEvent, toJsonValue } from "./hash";

// Writes audit events inside the caller's transaction, so an event exists if
// and only if the change it records was committed. Mutations queue theirs and
// executeMutation writes them together before it commits (queueAuditEvent);
// everything else writes at once (recordAuditEvent).

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
 * so its next write skips the lock and the read. Entries go away with their
 * transaction object.
 */
const headWritten = new WeakMap<Tx, { seq: bigint; hash: string }>();

/**
 * The head this process wrote last. A transaction that has not written yet
 * guesses it is still the head: nearly always so while one server writes. Its
 * events then go in with one statement that takes the chain's lock and checks
 * the guess under it; a wrong guess (another process wrote since, or the
 * transaction that wrote it rolled back) writes nothing, and the events go the
 * usual way. It saves the head's read, a round trip, in every audited change.
 */
let lastHeadWritten: { seq: bigint; hash: string } | null = null;

interface QueuedEvent {
  actor: AuditActor;
  entry: AuditEntry;
}

/** Events a transaction will write when it flushes (queueAuditEvent), in the order they happened. */
const queued = new WeakMap<Tx, QueuedEvent[]>();

/**
 * Queues an event to be written, with any queued before it, by
 * flushAuditEvents, which executeMutation calls before its transaction
 * commits. A mutation's events then cost one INSERT (an applied approval
 * writes four), and the chain's lock, which serializes every writer, is
 * taken only at the end of the transaction instead of at its first event.
 */
export function queueAuditEvent(tx: Tx, actor: AuditActor, entry: AuditEntry): void {
  const events = queued.get(tx) ?? [];
  events.push({ actor, entry });
  queued.set(tx, events);
}

/** How many events are queued now: give it to dropAuditEventsQueuedSince when rolling back to a savepoint taken here. */
export function auditQueueMark(tx: Tx): number {
  return queued.get(tx)?.length ?? 0;
}

/** Forgets the events queued after `mark`: the savepoint rollback that undid their changes undoes them too. */
export function dropAuditEventsQueuedSince(tx: Tx, mark: number): void {
  queued.get(tx)?.splice(mark);
}

/**
 * Writes one audit event now. Events the transaction has queued stay queued:
 * written here, inside a savepoint the caller may roll back (a CSV row, a
 * control's check), they would be lost with it although their changes stand.
 * So an event written at once comes before those queued earlier in the same
 * transaction.
 */
export async function recordAuditEvent(tx: Tx, actor: AuditActor, entry: AuditEntry) {
  const [event] = await writeEvents(tx, [{ actor, entry }]);
  return event!;
}

/** Events per INSERT: eleven parameters each, and PostgreSQL takes at most 65,535 in one statement. */
const EVENTS_PER_INSERT = 1000;

/** Writes every queued event, in order, in one statement (a bulk change's thousands in a few); returns them as written. */
export async function flushAuditEvents(tx: Tx): Promise<AuditEventRow[]> {
  const events = queued.get(tx) ?? [];
  queued.delete(tx);
  const written: AuditEventRow[] = [];
  for (let start = 0; start < events.length; start += EVENTS_PER_INSERT) {
    written.push(...(await writeEvents(tx, events.slice(start, start + EVENTS_PER_INSERT))));
  }
  return written;
}

async function writeEvents(tx: Tx, events: QueuedEvent[]): Promise<AuditEventRow[]> {
  const known = headWritten.get(tx);
  if (known) {
    const rows = chain(known, events);
    // Only if that event is still there and still the newest: a rollback to a savepoint may have taken it away
    // (and the lock taken with it), and then the events are written the usual way below.
    const guard = Prisma.sql`WHERE EXISTS (SELECT 1 FROM "AuditEvent" WHERE "seq" = ${known.seq} AND "hash" = ${known.hash})
      AND NOT EXISTS (SELECT 1 FROM "AuditEvent" WHERE "seq" > ${known.seq})`;
    if ((await insertEvents(tx, rows, guard)) === rows.length) return rows;
  }
  const guess = lastHeadWritten;
  if (guess) {
    const rows = chain(guess, events);
    // The function takes the lock and then reads the head afresh (a VOLATILE function's own snapshot).
    const guard = Prisma.sql`WHERE (SELECT ROW("seq", "hash") FROM "warrant_audit_chain_head"()) = ROW(${guess.seq}::bigint, ${guess.hash}::text)`;
    if ((await insertEvents(tx, rows, guard)) === rows.length) return rows;
  }
  // Takes the chain's lock, then reads the head: one round trip (prisma/migrations/20261201010000_audit_chain_head).
  const [last] = await tx.$queryRaw<{ seq: bigint; hash: string }[]>`SELECT "seq", "hash" FROM "warrant_audit_chain_head"()`;
  const rows = chain(last ?? { seq: 0n, hash: GENESIS_HASH }, events);
  await insertEvents(tx, rows, Prisma.empty);
  return rows;
}

type AuditEventRow = ReturnType<typeof buildEvent>;

/** The events, hashed one after another from `head`. */
function chain(head: { seq: bigint; hash: string }, events: QueuedEvent[]): AuditEventRow[] {
  const rows: AuditEventRow[] = [];
  let previous = head;
  for (const { actor, entry } of events) {
    const row = buildEvent(previous, actor, entry);
    rows.push(row);
    previous = row;
  }
  return rows;
}

/**
 * Inserts the events, if `guard` lets them, in one statement, and remembers
 * the last as the head this transaction wrote. Plain SQL: it runs in every
 * audited transaction, and skips the ORM's query planning.
 */
async function insertEvents(tx: Tx, rows: AuditEventRow[], guard: Prisma.Sql): Promise<number> {
  const values = rows.map(
    // Typed: a VALUES list takes its columns' types from its values, not from the table it feeds.
    (event) => Prisma.sql`(${event.seq}::bigint, ${event.occurredAt}::timestamptz, ${event.actorType}::"ActorType", ${event.actorId}::text,
      ${event.actorLabel}::text, ${event.action}::text, ${event.targetType}::text, ${event.targetId}::text, ${JSON.stringify(event.data)}::jsonb,
      ${event.prevHash}::text, ${event.hash}::text)`,
  );
  const inserted = await tx.$executeRaw`
    INSERT INTO "AuditEvent" ("seq", "occurredAt", "actorType", "actorId", "actorLabel", "action", "targetType", "targetId", "data", "prevHash", "hash")
    SELECT * FROM (VALUES ${Prisma.join(values)}) AS event
    ${guard}`;
  if (inserted === rows.length) {
    const head = { seq: rows.at(-1)!.seq, hash: rows.at(-1)!.hash };
    headWritten.set(tx, head);
    lastHeadWritten = head;
  }
  return inserted;
}

/** The event that follows `previous` in the chain, hashed; it happens now, when it is written under the chain's lock. */
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
