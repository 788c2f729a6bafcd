import type { Db } from "@/lib/db/client";
import type { JsonValue } from "@/lib/audit/hash";
import { GENESIS_HASH, hashActivityEvent } from "./hash";

// Verifies the activity chain as lib/audit/verify.ts verifies the audit log:
// walks events in sequence order, recomputing each hash, and reports the first
// event whose link or content does not match.

export type ActivityChainVerification =
  | { ok: true; events: number; fromSeq: bigint; headSeq: bigint | null; headHash: string }
  | { ok: false; events: number; brokenAtSeq: bigint; reason: string };

const BATCH = 5000;

export interface ActivityRange {
  /** First event to check (default 1). Its link to the event before it is checked too. */
  fromSeq?: bigint;
  /** Last event to check (default: the newest). */
  toSeq?: bigint;
}

export async function verifyActivityChain(db: Db, range: ActivityRange = {}): Promise<ActivityChainVerification> {
  const fromSeq = range.fromSeq && range.fromSeq > 1n ? range.fromSeq : 1n;
  let prevHash = GENESIS_HASH;
  if (fromSeq > 1n) {
    const before = await db.activityEvent.findFirst({ where: { seq: fromSeq - 1n }, select: { hash: true } });
    if (!before) return { ok: false, events: 0, brokenAtSeq: fromSeq - 1n, reason: `event ${fromSeq - 1n} is missing` };
    prevHash = before.hash;
  }
  let expectedSeq = fromSeq;
  let checked = 0;
  for (;;) {
    const batch = await db.activityEvent.findMany({
      where: { seq: { gte: expectedSeq, ...(range.toSeq !== undefined ? { lte: range.toSeq } : {}) } },
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
      const recomputed = hashActivityEvent(prevHash, { ...event, detail: event.detail as JsonValue });
      if (recomputed !== event.hash) {
        return { ok: false, events: checked, brokenAtSeq: event.seq, reason: "its content does not match its hash (the row was altered)" };
      }
      prevHash = event.hash;
      expectedSeq += 1n;
      checked += 1;
    }
    if (batch.length < BATCH) break;
  }
  if (range.toSeq !== undefined && expectedSeq <= range.toSeq) {
    return { ok: false, events: checked, brokenAtSeq: expectedSeq, reason: `event ${expectedSeq} is missing` };
  }
  return { ok: true, events: checked, fromSeq, headSeq: expectedSeq === fromSeq ? null : expectedSeq - 1n, headHash: prevHash };
}
