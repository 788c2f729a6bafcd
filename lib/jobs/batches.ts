import { z } from "zod";
import type { Actor } from "@/lib/auth/actor";
import type { AuditEntry } from "@/lib/audit/record";
import { defineMutation, executeMutation } from "@/lib/auth/mutation";
import type { Db, Tx } from "@/lib/db/client";
import { AppError, forbidden } from "@/lib/errors";

// Scheduled sweeps (expire identities, open due reviews, suspend overdue ones)
// share one shape: find up to N candidates, act on each inside one
// transaction through the same code as the single action, audit each change,
// repeat until a batch comes back short. Each batch is a mutation only Warrant
// itself may run, so it takes the one mutation path (audit in the same
// transaction). Each batch commits on its own, so a crash loses nothing and a
// rerun picks up where it stopped; a candidate already dealt with is skipped.

const BATCH_SIZE = 200;

const batchInput = z.object({
  now: z.coerce.date(),
  limit: z.number().int().min(1).max(1000),
});

/** Ends a batch that found nothing to do; only this ends runAll early (a real conflict still fails the job). */
class NothingToDo extends AppError {}

export interface BatchJob<Candidate> {
  /** The mutation's name, e.g. "identities.expire-due". */
  name: string;
  /** Shown in "You are not allowed to …", e.g. "expire identities". */
  description: string;
  /** Up to `limit` candidates, in a stable order. */
  findCandidates(tx: Tx, now: Date, limit: number): Promise<Candidate[]>;
  /** Acts on one candidate and returns its audit entry, or null when nothing was left to do for it (raced). */
  apply(tx: Tx, actor: Actor, candidate: Candidate, now: Date): Promise<AuditEntry | null>;
}

export function defineBatchJob<Candidate>(job: BatchJob<Candidate>) {
  const mutation = defineMutation({
    name: job.name,
    description: job.description,
    permission: "inventory:write",
    input: batchInput,
    async run({ tx, actor, audit }, { now, limit }) {
      if (actor.kind !== "system") throw forbidden(`${job.description}: Warrant does that on its own schedule`);
      const candidates = await job.findCandidates(tx, now, limit);
      let changed = 0;
      for (const candidate of candidates) {
        const entry = await job.apply(tx, actor, candidate, now);
        if (!entry) continue;
        await audit(entry);
        changed += 1;
      }
      // A mutation that writes nothing has nothing to audit: end the transaction as "nothing to do".
      if (changed === 0) throw new NothingToDo("conflict", `Nothing to do for ${job.name}.`);
      return { candidates: candidates.length, changed };
    },
  });

  /** Runs batches until one comes back short or finds nothing to do; returns how many candidates changed. */
  async function runAll(db: Db, actor: Actor, now = new Date()): Promise<number> {
    let changed = 0;
    for (;;) {
      try {
        const batch = await executeMutation(mutation, actor, { now, limit: BATCH_SIZE }, db);
        changed += batch.changed;
        if (batch.candidates < BATCH_SIZE) return changed;
      } catch (error) {
        if (error instanceof NothingToDo) return changed;
        throw error;
      }
    }
  }

  return { mutation, runAll };
}
