import {
  columnVisibilityFeature,
  createColumnHelper,
  rowPaginationFeature,
  rowSelectionFeature,
  rowSortingFeature,
  tableFeatures,
  type ColumnDef,
  type RowData,
} from "@tanstack/react-table";

// The features every Warrant table uses. Sorting and pagination are state
// only: the server sorts and pages (manualSorting/manualPagination), so no
// client row models are registered and a table never processes more rows
// than the one page it was given.

export interface DataTableColumnMeta {
  /** Plain-text column name, for the column chooser and accessible labels. */
  label: string;
  /** Extra classes for this column's cells, e.g. "whitespace-nowrap". */
  cellClassName?: string;
}

export const dataTableFeatures = tableFeatures({
  rowSortingFeature,
  rowPaginationFeature,
  columnVisibilityFeature,
  rowSelectionFeature,
  columnMeta: {} as DataTableColumnMeta,
});

export type DataTableFeatures = typeof dataTableFeatures;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a column list mixes value types, as TanStack's own ColumnDef[] does
export type DataTableColumn<Row extends RowData> = ColumnDef<DataTableFeatures, Row, any>;

export function dataTableColumnHelper<Row extends RowData>() {
  return createColumnHelper<DataTableFeatures, Row>();
}
