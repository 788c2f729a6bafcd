import { validationError } from "@/lib/errors";

// Cursor paging, written once: the API lists, the CSV export's batches and the
// risk sweep all page through here.
//
// The cursor is the last row's id. The next page asks Prisma for the rows from
// the cursor row on and drops the cursor row by id, never with `skip: 1`: the
// cursor row may no longer match the filter (suspended while a client pages
// through ACTIVE rows, a system's sensitivity confirmed while a lead pages
// through those awaiting confirmation), and skipping would then lose a real
// row. A row whose sort value changes between pages can still move across the
// cursor; the id tie-break in every caller's order keeps the others in place.

/** What the caller passes on to its findMany, beside its own where and orderBy. */
export interface CursorArgs {
  take: number;
  cursor?: { id: string };
}

export interface CursorPage<Row> {
  rows: Row[];
  nextCursor: string | null;
}

/**
 * The `limit` rows after `cursor`. `fetch` runs the caller's findMany with the
 * given args. `cursorExists` is for cursors a client sent: an unknown one
 * would otherwise answer an empty page, which reads as "no more rows", so it
 * is a 422 naming the parameter.
 */
export async function findPageAfter<Row extends { id: string }>(
  cursor: string | undefined,
  limit: number,
  fetch: (args: CursorArgs) => Promise<Row[]>,
  cursorExists?: (id: string) => Promise<boolean>,
): Promise<CursorPage<Row>> {
  // One more than a page beyond the cursor row, to know whether another page follows.
  const fetched = await fetch({ take: limit + 2, ...(cursor ? { cursor: { id: cursor } } : {}) });
  if (cursor && fetched.length === 0 && cursorExists && !(await cursorExists(cursor))) {
    throw validationError({ cursor: "is not a cursor from this list" });
  }
  const rows = cursor && fetched[0]?.id === cursor ? fetched.slice(1) : fetched.slice(0, limit + 1);
  const page = rows.slice(0, limit);
  return { rows: page, nextCursor: rows.length > limit ? page.at(-1)!.id : null };
}

/** Every row, page by page, so memory stays flat however many there are. */
export async function* findAllInPages<Row extends { id: string }>(
  pageSize: number,
  fetch: (args: CursorArgs) => Promise<Row[]>,
): AsyncGenerator<Row[]> {
  let cursor: string | undefined;
  for (;;) {
    const { rows, nextCursor } = await findPageAfter(cursor, pageSize, fetch);
    if (rows.length > 0) yield rows;
    if (!nextCursor) return;
    cursor = nextCursor;
  }
}
