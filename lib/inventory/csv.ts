import type { InventoryRow } from "./query";

// CSV for the inventory: RFC 4180 (comma separated, CRLF line ends, a field
// with a comma, quote or line break is quoted and its quotes doubled).
//
// Spreadsheets run a cell that starts with = + - @ (or a tab or carriage
// return) as a formula, so an identity named "=HYPERLINK(…)" could act on the
// machine of whoever opens the export. Such cells are prefixed with a single
// quote, which spreadsheets show as text; an importer reading these files
// should drop a leading ' that comes before one of those characters.

/** The export's columns, in order. Import uses the same names for the fields it accepts. */
export const INVENTORY_CSV_COLUMNS = [
  "id",
  "externalId",
  "name",
  "kind",
  "environment",
  "status",
  "riskTier",
  "ownerEmail",
  "ownerName",
  "backupOwnerEmail",
  "team",
  "autonomy",
  "vendor",
  "product",
  "model",
  "purpose",
  "expiresAt",
  "nextReviewAt",
  "orphanedAt",
  "createdAt",
  "updatedAt",
] as const;

type CsvColumn = (typeof INVENTORY_CSV_COLUMNS)[number];
type CsvValue = string | number | boolean | Date | null | undefined;

const VALUES: Record<CsvColumn, (row: InventoryRow) => CsvValue> = {
  id: (row) => row.id,
  externalId: (row) => row.externalId,
  name: (row) => row.name,
  kind: (row) => row.kind,
  environment: (row) => row.environment,
  status: (row) => row.status,
  riskTier: (row) => row.riskTier,
  ownerEmail: (row) => row.owner.email,
  ownerName: (row) => row.owner.name,
  backupOwnerEmail: (row) => row.backupOwner?.email,
  team: (row) => row.team?.name,
  autonomy: (row) => row.autonomy,
  vendor: (row) => row.vendor,
  product: (row) => row.product,
  model: (row) => row.model,
  purpose: (row) => row.purpose,
  expiresAt: (row) => row.expiresAt,
  nextReviewAt: (row) => row.nextReviewAt,
  orphanedAt: (row) => row.orphanedAt,
  createdAt: (row) => row.createdAt,
  updatedAt: (row) => row.updatedAt,
};

const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

function encodeCell(value: CsvValue): string {
  if (value === null || value === undefined) return "";
  let text = value instanceof Date ? value.toISOString() : String(value);
  if (FORMULA_START.test(text)) text = `'${text}`;
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One CSV record, CRLF-terminated. Dates are written as ISO 8601 in UTC. */
export function toCsvRow(values: readonly CsvValue[]): string {
  return `${values.map(encodeCell).join(",")}\r\n`;
}

export interface CsvStreamOptions {
  /** A reader that asks for nothing for this long is cut off: the stream fails and `rows` is closed. */
  stallTimeoutMs?: number;
  /** Called once when the stream ends for any reason (finished, cancelled, failed, cut off). */
  onEnd?: () => void;
}

/**
 * The inventory as a CSV byte stream: the header, then one record per row,
 * pulled from `rows` only as fast as the reader consumes them, so exporting
 * the whole inventory never holds it in memory.
 */
export function inventoryCsvStream(rows: AsyncIterable<InventoryRow>, options: CsvStreamOptions = {}): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const iterator = rows[Symbol.asyncIterator]();
  let stallTimer: ReturnType<typeof setTimeout> | undefined;
  let ended = false;

  // Closing the iterator ends the snapshot transaction behind it and gives its connection back.
  async function end() {
    if (ended) return;
    ended = true;
    clearTimeout(stallTimer);
    try {
      await iterator.return?.();
    } finally {
      options.onEnd?.();
    }
  }

  // The stream asks for more (pull) only when its reader has taken what was
  // queued, so no pull for a while means the client stopped reading.
  function watchForStall(controller: ReadableStreamDefaultController<Uint8Array>) {
    if (!options.stallTimeoutMs) return;
    clearTimeout(stallTimer);
    stallTimer = setTimeout(() => {
      controller.error(new Error("The export was stopped: the client stopped reading."));
      void end();
    }, options.stallTimeoutMs);
  }

  return new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode(toCsvRow(INVENTORY_CSV_COLUMNS)));
      watchForStall(controller);
    },
    async pull(controller) {
      clearTimeout(stallTimer);
      try {
        // Several records per chunk keep the number of writes down on large exports.
        let chunk = "";
        while (chunk.length < 64 * 1024) {
          const next = await iterator.next();
          if (next.done) {
            if (chunk) controller.enqueue(encoder.encode(chunk));
            controller.close();
            await end();
            return;
          }
          chunk += toCsvRow(INVENTORY_CSV_COLUMNS.map((column) => VALUES[column](next.value)));
        }
        controller.enqueue(encoder.encode(chunk));
        watchForStall(controller);
      } catch (error) {
        await end();
        throw error;
      }
    },
    async cancel() {
      await end();
    },
  });
}
