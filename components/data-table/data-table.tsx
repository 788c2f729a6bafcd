"use client";

import { useMemo, useState, type ReactNode } from "react";
import { useSearchParams } from "next/navigation";
import {
  functionalUpdate,
  useTable,
  type ColumnDef,
  type ColumnVisibilityState,
  type PaginationState,
  type RowData,
  type RowSelectionState,
  type Updater,
} from "@tanstack/react-table";
import { ColumnChooser } from "./column-chooser";
import { dataTableFeatures, type DataTableColumn, type DataTableFeatures } from "./features";
import { Pager } from "./pager";
import { SelectAllCheckbox } from "./select-all-checkbox";
import { useSearchParamsWriter } from "./use-search-params-writer";

// The one table wrapper: TanStack Table v9 for column visibility, selection
// and paging state, plain semantic markup for rendering. The body is rendered
// from the rows and the visible columns directly: TanStack's per-cell objects
// were the largest part of the table's server render. Everything that decides which rows exist
// (filters, sort, page) is in the URL and done by the server; this component
// turns clicks into URL changes and renders the page it is given.
//
// URL params: sort, dir, page, pageSize (navigations, so back works), and
// hide (hidden column ids; rewritten in place, since it changes no rows).

export interface DataTableProps<Row extends RowData> {
  /** Accessible name of the table, e.g. "AI identities". */
  label: string;
  columns: DataTableColumn<Row>[];
  /** The current page of rows, already filtered, sorted and paged by the server. */
  data: Row[];
  getRowId: (row: Row) => string;
  /** Matching rows in all pages. */
  rowCount: number;
  /** False when rowCount is a lower bound ("more than N"); paging then reaches the first rowCount rows. */
  rowCountIsExact?: boolean;
  page: number;
  pageSize: number;
  pageSizes: readonly number[];
  sort: { column: string; dir: "asc" | "desc" };
  /** "identity" / "identities": used in "N identities" and checkbox labels. */
  noun: { one: string; many: string };
  /** Shown above the table when rows are selected; receives the selected row ids. */
  selectionActions?: (selectedIds: string[], clearSelection: () => void) => ReactNode;
  /** Rendered to the left of the column chooser (filters summary, export links…). */
  toolbar?: ReactNode;
  empty?: ReactNode;
  rowLabel: (row: Row) => string;
}

/** The checkbox column's id (no data column may use it). */
const SELECT_COLUMN = "select";

function parseHidden(value: string | null): ColumnVisibilityState {
  return Object.fromEntries(
    (value ?? "")
      .split(",")
      .filter(Boolean)
      .map((id) => [id, false]),
  );
}

export function DataTable<Row extends RowData>(props: DataTableProps<Row>) {
  const { columns, data, getRowId, rowCount, page, pageSize, sort, selectionActions, rowLabel } = props;
  const writeParams = useSearchParamsWriter();
  const hiddenParam = useSearchParams().get("hide");

  // Selection belongs to the rows on screen: a new page, filter or sort starts with nothing selected.
  const [rowSelection, setRowSelection] = useState<RowSelectionState>({});
  const [selectionData, setSelectionData] = useState(data);
  if (selectionData !== data) {
    setSelectionData(data);
    setRowSelection({});
  }

  const pagination: PaginationState = useMemo(() => ({ pageIndex: page - 1, pageSize }), [page, pageSize]);
  // Hidden columns are shown at once from local state; the URL follows, and a URL change (back, a saved view) wins.
  const [columnVisibility, setColumnVisibility] = useState(() => parseHidden(hiddenParam));
  const [visibilityParam, setVisibilityParam] = useState(hiddenParam);
  if (visibilityParam !== hiddenParam) {
    setVisibilityParam(hiddenParam);
    setColumnVisibility(parseHidden(hiddenParam));
  }

  // TanStack's view of the columns: ids and labels only, since it renders no cells.
  const selectable = Boolean(selectionActions);
  const tableColumns = useMemo<ColumnDef<DataTableFeatures, Row>[]>(() => {
    const described = columns.map((column): ColumnDef<DataTableFeatures, Row> => ({
      id: column.id,
      enableHiding: column.hideable !== false,
      meta: { label: column.label, cellClassName: column.cellClassName },
    }));
    return selectable ? [{ id: SELECT_COLUMN, enableHiding: false, meta: { label: "Select" } }, ...described] : described;
  }, [columns, selectable]);
  const columnsById = useMemo(() => new Map(columns.map((column) => [column.id, column])), [columns]);

  const table = useTable({
    features: dataTableFeatures,
    columns: tableColumns,
    data,
    getRowId,
    manualPagination: true,
    rowCount,
    enableRowSelection: selectable,
    state: { pagination, columnVisibility, rowSelection },
    onPaginationChange: (updater: Updater<PaginationState>) => {
      const next = functionalUpdate(updater, pagination);
      const sizeChanged = next.pageSize !== pagination.pageSize;
      writeParams({
        page: sizeChanged || next.pageIndex === 0 ? null : String(next.pageIndex + 1),
        pageSize: String(next.pageSize),
      });
    },
    onColumnVisibilityChange: (updater: Updater<ColumnVisibilityState>) => {
      const next = functionalUpdate(updater, columnVisibility);
      const hidden = Object.entries(next)
        .filter(([, visible]) => visible === false)
        .map(([id]) => id)
        .join(",");
      // visibilityParam keeps tracking the URL: it catches up when the router
      // reports the new address, so this render does not undo the change.
      setColumnVisibility(next);
      writeParams({ hide: hidden }, "replace-local");
    },
    onRowSelectionChange: setRowSelection,
  });

  // A header click sorts ascending by a new column and flips the direction of the current one.
  const sortBy = (id: string) => {
    const dir = sort.column === id && sort.dir === "asc" ? "desc" : "asc";
    writeParams({ sort: id, dir, page: null });
  };
  const toggleRow = (id: string, selected: boolean) =>
    setRowSelection((current) => {
      const next = { ...current };
      if (selected) next[id] = true;
      else delete next[id];
      return next;
    });
  const visibleColumns = table.getVisibleLeafColumns();

  const selectedIds = Object.keys(rowSelection).filter((id) => rowSelection[id]);

  return (
    <div className="space-y-2">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <div className="flex flex-wrap items-center gap-2">{props.toolbar}</div>
        <ColumnChooser table={table} />
      </div>
      {selectionActions && selectedIds.length > 0 ? (
        <div
          role="region"
          aria-label="Selected rows"
          className="flex flex-wrap items-center gap-3 rounded-md border border-sky-200 bg-sky-50 px-3 py-2 text-sm"
        >
          <span className="font-medium text-sky-900">
            {selectedIds.length} {selectedIds.length === 1 ? props.noun.one : props.noun.many} selected
          </span>
          {selectionActions(selectedIds, () => setRowSelection({}))}
        </div>
      ) : null}
      <div className="overflow-x-auto rounded-md border border-slate-200 bg-white">
        <table className="w-full text-left text-sm" aria-label={props.label}>
          <thead className="border-b border-slate-200 bg-slate-50 text-xs text-slate-600">
            <tr>
              {visibleColumns.map((tableColumn) => {
                const column = columnsById.get(tableColumn.id);
                const sorted = sort.column === tableColumn.id ? sort.dir : null;
                return (
                  <th
                    key={tableColumn.id}
                    scope="col"
                    aria-sort={sorted === "asc" ? "ascending" : sorted === "desc" ? "descending" : undefined}
                    className="whitespace-nowrap px-2 py-2 font-medium first:pl-3"
                  >
                    {/* Only the selection column has no data column. */}
                    {!column ? (
                      <SelectAllCheckbox table={table} noun={props.noun.many} />
                    ) : column.sortable === false ? (
                      (column.header ?? column.label)
                    ) : (
                      <button
                        type="button"
                        onClick={() => sortBy(column.id)}
                        className="inline-flex items-center gap-1 rounded hover:text-slate-900 focus-visible:outline focus-visible:outline-2 focus-visible:outline-sky-600"
                        title={`Sort by ${column.label}`}
                      >
                        {column.header ?? column.label}
                        <span aria-hidden="true" className="text-slate-400">
                          {sorted === "asc" ? "▲" : sorted === "desc" ? "▼" : "↕"}
                        </span>
                      </button>
                    )}
                  </th>
                );
              })}
            </tr>
          </thead>
          {/* The cells' common classes, once here rather than on each of a page's hundreds of cells. */}
          <tbody className="divide-y divide-slate-100 [&>tr>td]:px-2 [&>tr>td]:py-1.5 [&>tr>td]:align-top [&>tr>td:first-child]:pl-3">
            {data.map((row) => {
              const id = getRowId(row);
              const selected = selectable && rowSelection[id] === true;
              return (
                <tr key={id} data-row-id={id} data-selected={selected || undefined} className="data-selected:bg-sky-50">
                  {visibleColumns.map((tableColumn) => {
                    const column = columnsById.get(tableColumn.id);
                    return (
                      <td key={tableColumn.id} className={column?.cellClassName}>
                        {column ? (
                          column.cell(row)
                        ) : (
                          <input
                            type="checkbox"
                            aria-label={`Select ${rowLabel(row)}`}
                            checked={selected}
                            onChange={(event) => toggleRow(id, event.target.checked)}
                          />
                        )}
                      </td>
                    );
                  })}
                </tr>
              );
            })}
          </tbody>
        </table>
        {data.length === 0 ? (
          <div className="p-6 text-center text-sm text-slate-600">{props.empty ?? `No ${props.noun.many} match.`}</div>
        ) : null}
      </div>
      <Pager
        table={table}
        page={page}
        pageSize={pageSize}
        pageSizes={props.pageSizes}
        rowCount={rowCount}
        rowCountIsExact={props.rowCountIsExact ?? true}
        noun={props.noun}
      />
    </div>
  );
}
