import type { Db, Tx } from "./client";

/** Long enough for a full export of a large inventory over a slow connection. */
const SNAPSHOT_TIMEOUT_MS = 15 * 60_000;

/**
 * Yields what `produce` yields, all read from one REPEATABLE READ, read-only
 * transaction: one consistent snapshot of the database however long the
 * reader takes. A streamed export pages through the table in batches; without
 * a snapshot, a row edited between two batches could move past the cursor
 * and be exported twice or not at all. The transaction ends when the
 * generator finishes or the reader stops early (return()).
 */
export async function* readInSnapshot<T>(db: Db, produce: (tx: Tx) => AsyncIterable<T>): AsyncGenerator<T> {
  let finish!: () => void;
  const finished = new Promise<void>((resolve) => (finish = resolve));
  let opened!: (tx: Tx) => void;
  const ready = new Promise<Tx>((resolve) => (opened = resolve));

  const transaction = db.$transaction(
    async (tx) => {
      await tx.$executeRawUnsafe("SET TRANSACTION READ ONLY");
      opened(tx);
      await finished;
    },
    { isolationLevel: "RepeatableRead", timeout: SNAPSHOT_TIMEOUT_MS },
  );
  try {
    // If the transaction cannot start, its error ends the wait instead of a never-ready tx.
    const tx = await Promise.race([ready, transaction.then(() => Promise.reject(new Error("the snapshot transaction ended early")))]);
    yield* produce(tx);
  } finally {
    finish();
    await transaction;
  }
}
