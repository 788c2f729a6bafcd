import { z } from "zod";
import type { Actor } from "@/lib/auth/actor";
import { defineMutation, executeMutation } from "@/lib/auth/mutation";
import type { Db } from "@/lib/db/client";
import { AppError, forbidden } from "@/lib/errors";
import { securityLeadIds, sendNotices } from "./notices";
import { OCCASION_NAMES, OCCASIONS } from "./occasions";
import { lifecycleSettings } from "./settings";

// The lifecycle sweep: for each occasion (occasions.ts), batches of due
// notices, each batch in one transaction with its ledger keys, its outbox
// rows and one audit event naming the keys it sent. A crash loses at most the
// batch in flight, and the rerun sends exactly that batch.

const BATCH_SIZE = 200;

const sweepBatchInput = z.object({
  now: z.coerce.date(),
  occasion: z.enum(OCCASION_NAMES, { message: `must be one of ${OCCASION_NAMES.join(", ")}` }),
  limit: z.number().int().min(1).max(1000),
});

/** A batch that found nothing new to send (or lost every key to a concurrent sweep): it writes nothing. */
class NothingToSend extends AppError {}

/** One batch of one occasion's notices; only Warrant's scheduler (a system actor) runs it. */
export const sendNoticesBatch = defineMutation({
  name: "lifecycle.send-notices",
  description: "send review reminders, expiry warnings and escalations",
  permission: "inventory:write",
  input: sweepBatchInput,
  async run({ tx, actor, audit }, { now, occasion: name, limit }) {
    if (actor.kind !== "system") throw forbidden("send lifecycle notices: Warrant does that on its own schedule");
    const occasion = OCCASIONS.find((candidate) => candidate.name === name)!;
    const notices = await occasion.find(tx, { now, settings: await lifecycleSettings(tx), leads: await securityLeadIds(tx), limit });
    const sent = await sendNotices(tx, notices);
    if (sent.length === 0) throw new NothingToSend("conflict", `No ${name} notices to send.`);
    await audit({
      action: "lifecycle.notices_sent",
      targetType: "notice",
      targetId: name,
      data: { occasion: name, count: sent.length, keys: sent },
    });
    return { found: notices.length, sent: sent.length };
  },
});

/** Sends every notice due at `now`, occasion by occasion; returns how many of each went out. */
export async function sendDueNotices(db: Db, actor: Actor, now = new Date()): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const occasion of OCCASIONS) {
    let sent = 0;
    for (;;) {
      try {
        const batch = await executeMutation(sendNoticesBatch, actor, { now, occasion: occasion.name, limit: BATCH_SIZE }, db);
        sent += batch.sent;
        if (batch.found < BATCH_SIZE) break;
      } catch (error) {
        if (error instanceof NothingToSend) break;
        throw error;
      }
    }
    counts[occasion.name] = sent;
  }
  return counts;
}

export function describeNoticeCounts(counts: Record<string, number>): string {
  const sent = Object.entries(counts).filter(([, count]) => count > 0);
  return sent.length === 0 ? "no notices due" : sent.map(([name, count]) => `${count} ${name}`).join(", ");
}
