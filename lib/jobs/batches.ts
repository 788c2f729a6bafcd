import { AppError } from "@/lib/errors";

/**
 * Runs a job's batch (one transaction each) until a batch comes back short of
 * `batchSize` candidates or says there is nothing to do: such a batch throws
 * a conflict, because a mutation that writes nothing has nothing to audit.
 * Each batch commits on its own, so a crash loses nothing and a rerun picks up
 * where it stopped. Returns the total the batches report as changed.
 */
export async function runBatchesUntilDone(
  runBatch: () => Promise<{ candidates: number; changed: number }>,
  batchSize: number,
): Promise<number> {
  let changed = 0;
  for (;;) {
    try {
      const batch = await runBatch();
      changed += batch.changed;
      if (batch.candidates < batchSize) return changed;
    } catch (error) {
      if (error instanceof AppError && error.code === "conflict") return changed;
      throw error;
    }
  }
}
