import type { DbOrTx } from "@/lib/db/client";
import { GENESIS_HASH, hashAuditEvent, type JsonValue } from "./hash";

export type ChainVerification =
  | { ok: true; events: number; headSeq: bigint | null; headHash: string }
  | { ok: false; events: number; brokenAtSeq: bigint; reason: string };

const BATCH = 5000;

/** Where a walk starts: before the first event, or after an event already trusted (a checkpoint). */
export interface ChainStart {
  seq: bigint;
  hash: string;
}

/**
 * Walks the chain in sequence order from `start` (the whole chain by default),
 * recomputing each hash, and reports the first event whose link or content
 * does not match. Reads in batches so a long log never has to fit in memory.
 */
export async function verifyAuditChain(db: DbOrTx, start: ChainStart = { seq: 0n, hash: GENESIS_HASH }): Promise<ChainVerification> {
  let prevHash = start.hash;
  let expectedSeq = start.seq + 1n;
  let checked = 0;
  for (;;) {
    const batch = await db.auditEvent.findMany({
      where: { seq: { gte: expectedSeq } },
      orderBy: { seq: "asc" },
      take: BATCH,
    });
    for (const event of batch) {
      if (event.seq !== expectedSeq) {
        return { ok: false, events: checked, brokenAtSeq: expectedSeq, reason: `event ${expectedSeq} is missing` };
      }
      if (event.prevHash !== prevHash) {
        return { ok: false, events: checked, brokenAtSeq: event.seq, reason: "its previous-hash does not match the event before it" };
      }
      const recomputed = hashAuditEvent(prevHash, { ...event, data: event.data as JsonValue });
      if (recomputed !== event.hash) {
        return { ok: false, events: checked, brokenAtSeq: event.seq, reason: "its content does not match its hash (the row was altered)" };
      }
      prevHash = event.hash;
      expectedSeq += 1n;
      checked += 1;
    }
    if (batch.length < BATCH) break;
  }
  return { ok: true, events: checked, headSeq: expectedSeq === 1n ? null : expectedSeq - 1n, headHash: prevHash };
}
