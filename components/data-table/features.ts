import type { ReactNode } from "react";
import { columnVisibilityFeature, rowPaginationFeature, rowSelectionFeature, tableFeatures } from "@tanstack/react-table";

// The features every Warrant table uses. Pagination is state only: the server
// sorts and pages (manualPagination), so no client row models are registered
// and a table never processes more rows than the one page it was given.

export interface DataTableColumnMeta {
  /** Plain-text column name, for the column chooser and accessible labels. */
  label: string;
  /** Extra classes for this column's cells, e.g. "whitespace-nowrap". */
  cellClassName?: string;
}

export const dataTableFeatures = tableFeatures({
  rowPaginationFeature,
  columnVisibilityFeature,
  rowSelectionFeature,
  columnMeta: {} as DataTableColumnMeta,
});

export type DataTableFeatures = typeof dataTableFeatures;

/**
 * A column of a Warrant table. Cells are plain functions of the row: the body
 * is rendered from the rows directly rather than through TanStack's cell
 * objects, which cost more server time per page than the rest of the table.
 */
export interface DataTableColumn<Row> {
  /** The column's id: the sort key the server understands (?sort=<id>) and its name in ?hide=. */
  id: string;
  /** Its name in the column chooser, and the header unless `header` is given. */
  label: string;
  /** A shorter header, e.g. "Risk" for "Risk tier". */
  header?: string;
  /** Whether a header click sorts by it (default true). */
  sortable?: boolean;
  /** Whether the column chooser may hide it (default true); the column that names the row should stay. */
  hideable?: boolean;
  /** Extra classes for this column's cells, e.g. "whitespace-nowrap". */
  cellClassName?: string;
  cell: (row: Row) => ReactNode;
}
