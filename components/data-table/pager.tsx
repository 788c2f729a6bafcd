"use client";

import type { RowData, Table } from "@tanstack/react-table";
import { Button } from "@/components/ui/button";
import type { DataTableFeatures } from "./features";

type PagerTable<Row extends RowData> = Pick<
  Table<DataTableFeatures, Row>,
  "getCanPreviousPage" | "getCanNextPage" | "previousPage" | "nextPage" | "firstPage" | "lastPage" | "getPageCount" | "setPageSize"
>;

/** "Page X of Y, N items", page size, and previous/next. */
export function Pager<Row extends RowData>({
  table,
  page,
  pageSize,
  pageSizes,
  rowCount,
  rowCountIsExact,
  noun,
}: {
  table: PagerTable<Row>;
  page: number;
  pageSize: number;
  pageSizes: readonly number[];
  rowCount: number;
  rowCountIsExact: boolean;
  noun: { one: string; many: string };
}) {
  const pageCount = Math.max(1, table.getPageCount());
  return (
    <nav aria-label="Pages" className="flex flex-wrap items-center justify-between gap-3 text-sm text-slate-700">
      <p data-testid="page-summary" aria-live="polite">
        {rowCountIsExact
          ? `Page ${page} of ${pageCount}, ${rowCount.toLocaleString("en-US")} ${rowCount === 1 ? noun.one : noun.many}`
          : `Page ${page}, more than ${rowCount.toLocaleString("en-US")} ${noun.many}`}
      </p>
      <div className="flex items-center gap-2">
        <label className="flex items-center gap-1 text-xs text-slate-600">
          Rows per page
          <select
            value={pageSize}
            onChange={(event) => table.setPageSize(Number(event.target.value))}
            className="rounded border border-slate-300 bg-white px-1.5 py-1 text-sm"
          >
            {pageSizes.map((size) => (
              <option key={size} value={size}>
                {size}
              </option>
            ))}
          </select>
        </label>
        <Button
          type="button"
          variant="secondary"
          onClick={() => table.firstPage()}
          disabled={!table.getCanPreviousPage()}
          aria-label="First page"
        >
          «
        </Button>
        <Button type="button" variant="secondary" onClick={() => table.previousPage()} disabled={!table.getCanPreviousPage()}>
          Previous
        </Button>
        <Button type="button" variant="secondary" onClick={() => table.nextPage()} disabled={!table.getCanNextPage()}>
          Next
        </Button>
        <Button
          type="button"
          variant="secondary"
          onClick={() => table.lastPage()}
          disabled={!table.getCanNextPage()}
          aria-label="Last page"
        >
          »
        </Button>
      </div>
    </nav>
  );
}
