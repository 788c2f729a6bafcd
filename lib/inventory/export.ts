import type { Actor } from "@/lib/auth/actor";
import { exportPrisma } from "@/lib/db/client";
import { readInSnapshot } from "@/lib/db/snapshot";
import { env } from "@/lib/env";
import { rateLimits, RateLimitedError } from "@/lib/rate-limit";
import { findIdentitiesByIds } from "./bulk";
import { inventoryCsvStream } from "./csv";
import { parseInventoryQuery, streamIdentities } from "./query";

// The inventory's CSV export: the same search params as the table (every
// matching row, not one page), or ?id=…&id=… for the rows selected in it.
// Rows stream from one snapshot transaction for as long as the client reads,
// which holds a database connection; so exports run on a small pool of their
// own, only so many run at once (per person and in this process), and a
// client that stops reading is cut off, which ends the transaction.

/** How long a refused export is told to wait; exports of a large inventory take seconds to minutes. */
const RETRY_AFTER_SECONDS = 10;

const running = { total: 0, byPerson: new Map<string, number>() };

/** Takes a place for one export, or throws a 429 saying why; the returned function gives it back (once). */
function takeExportPlace(userId: string): () => void {
  const { WARRANT_EXPORTS_MAX: max, WARRANT_EXPORTS_PER_PERSON: perPerson } = env();
  const mine = running.byPerson.get(userId) ?? 0;
  if (mine >= perPerson) {
    throw new RateLimitedError(
      `You already have ${mine} export${mine === 1 ? "" : "s"} running (at most ${perPerson} at a time). Let it finish, then try again.`,
      RETRY_AFTER_SECONDS,
    );
  }
  if (running.total >= max) {
    throw new RateLimitedError(
      `${running.total} exports are running, the most this server runs at once. Try again in ${RETRY_AFTER_SECONDS} seconds.`,
      RETRY_AFTER_SECONDS,
    );
  }
  running.total += 1;
  running.byPerson.set(userId, mine + 1);
  let released = false;
  return () => {
    if (released) return;
    released = true;
    running.total -= 1;
    const left = (running.byPerson.get(userId) ?? 1) - 1;
    if (left > 0) running.byPerson.set(userId, left);
    else running.byPerson.delete(userId);
  };
}

async function* fromArray<T>(rows: T[]) {
  yield* rows;
}

/** The export as a CSV stream for `actor` (who may read the inventory); throws 429s and 422s. */
export async function openInventoryExport(
  actor: Extract<Actor, { userId: string }>,
  searchParams: URLSearchParams,
): Promise<ReadableStream<Uint8Array>> {
  rateLimits.export.take(actor.userId);
  const params = new URLSearchParams(searchParams);
  const ids = params.getAll("id");
  params.delete("id");
  const query = parseInventoryQuery(params);
  const release = takeExportPlace(actor.userId);
  try {
    const { WARRANT_EXPORTS_MAX, WARRANT_EXPORT_STALL_SECONDS } = env();
    const db = exportPrisma(WARRANT_EXPORTS_MAX);
    const rows =
      ids.length > 0 ? fromArray(await findIdentitiesByIds(db, ids, query)) : readInSnapshot(db, (tx) => streamIdentities(tx, query));
    return inventoryCsvStream(rows, { stallTimeoutMs: WARRANT_EXPORT_STALL_SECONDS * 1000, onEnd: release });
  } catch (error) {
    release();
    throw error;
  }
}
