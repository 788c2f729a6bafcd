import type { Db } from "@/lib/db/client";
import { GENESIS_HASH, hashAuditEvent, type JsonValue } from "./hash";

export type ChainVerification =
  | { ok: true; events: number; headSeq: bigint | null; headHash: string }
  | { ok: false; events: number; brokenAtSeq: bigint; reason: string };

const BATCH = 5000;

/**
 * Walks the whole chain in sequence order, recomputing each hash, and reports
 * the first event whose link or content does not match. Reads in batches so a
 * long log never has to fit in memory.
 */
export async function verifyAuditChain(db: Db): Promise<ChainVerification> {
  let prevHash = GENESIS_HASH;
  let expectedSeq = 1n;
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
  return { ok: true, events: checked, headSeq: checked === 0 ? null : expectedSeq - 1n, headHash: prevHash };
}
