"use client";

import { useMemo, useState, type ReactNode } from "react";
import { useSearchParams } from "next/navigation";
import {
  functionalUpdate,
  useTable,
  type ColumnVisibilityState,
  type PaginationState,
  type RowData,
  type RowSelectionState,
  type SortingState,
  type Updater,
} from "@tanstack/react-table";
import { ColumnChooser } from "./column-chooser";
import { dataTableFeatures, type DataTableColumn } from "./features";
import { Pager } from "./pager";
import { SelectAllCheckbox } from "./select-all-checkbox";
import { useSearchParamsWriter } from "./use-search-params-writer";

// The one table wrapper: TanStack Table v9 for state and models, plain
// semantic markup for rendering. Everything that decides which rows exist
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

  const sorting: SortingState = useMemo(() => [{ id: sort.column, desc: sort.dir === "desc" }], [sort.column, sort.dir]);
  const pagination: PaginationState = useMemo(() => ({ pageIndex: page - 1, pageSize }), [page, pageSize]);
  // Hidden columns are shown at once from local state; the URL follows, and a URL change (back, a saved view) wins.
  const [columnVisibility, setColumnVisibility] = useState(() => parseHidden(hiddenParam));
  const [visibilityParam, setVisibilityParam] = useState(hiddenParam);
  if (visibilityParam !== hiddenParam) {
    setVisibilityParam(hiddenParam);
    setColumnVisibility(parseHidden(hiddenParam));
  }

  // Depends on whether rows can be selected, not on the render prop itself, so the columns stay stable.
  const selectable = Boolean(selectionActions);
  const allColumns = useMemo<DataTableColumn<Row>[]>(() => {
    if (!selectable) return columns;
    const select: DataTableColumn<Row> = {
      id: "select",
      meta: { label: "Select" },
      enableSorting: false,
      enableHiding: false,
      header: ({ table }) => <SelectAllCheckbox table={table} noun={props.noun.many} />,
      cell: ({ row }) => (
        <input
          type="checkbox"
          aria-label={`Select ${rowLabel(row.original)}`}
          checked={row.getIsSelected()}
          disabled={!row.getCanSelect()}
          onChange={row.getToggleSelectedHandler()}
        />
      ),
    };
    return [select, ...columns];
  }, [columns, selectable, rowLabel, props.noun.many]);

  const table = useTable({
    features: dataTableFeatures,
    columns: allColumns,
    data,
    getRowId,
    manualSorting: true,
    manualPagination: true,
    rowCount,
    enableMultiSort: false,
    enableSortingRemoval: false,
    sortDescFirst: false,
    enableRowSelection: selectable,
    state: { sorting, pagination, columnVisibility, rowSelection },
    onSortingChange: (updater: Updater<SortingState>) => {
      const next = functionalUpdate(updater, sorting)[0];
      if (next) writeParams({ sort: next.id, dir: next.desc ? "desc" : "asc", page: null });
    },
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
            {table.getHeaderGroups().map((group) => (
              <tr key={group.id}>
                {group.headers.map((header) => {
                  const sorted = header.column.getIsSorted();
                  const label = header.column.columnDef.meta?.label ?? header.column.id;
                  return (
                    <th
                      key={header.id}
                      scope="col"
                      aria-sort={sorted === "asc" ? "ascending" : sorted === "desc" ? "descending" : undefined}
                      className="whitespace-nowrap px-2 py-2 font-medium first:pl-3"
                    >
                      {header.isPlaceholder ? null : header.column.getCanSort() ? (
                        <button
                          type="button"
                          onClick={header.column.getToggleSortingHandler()}
                          className="inline-flex items-center gap-1 rounded hover:text-slate-900 focus-visible:outline focus-visible:outline-2 focus-visible:outline-sky-600"
                          title={`Sort by ${label}`}
                        >
                          <table.FlexRender header={header} />
                          <span aria-hidden="true" className="text-slate-400">
                            {sorted === "asc" ? "▲" : sorted === "desc" ? "▼" : "↕"}
                          </span>
                        </button>
                      ) : (
                        <table.FlexRender header={header} />
                      )}
                    </th>
                  );
                })}
              </tr>
            ))}
          </thead>
          <tbody className="divide-y divide-slate-100">
            {table.getRowModel().rows.map((row) => (
              <tr
                key={row.id}
                data-row-id={row.id}
                data-selected={(selectable && row.getIsSelected()) || undefined}
                className="data-selected:bg-sky-50"
              >
                {row.getVisibleCells().map((cell) => (
                  <td key={cell.id} className={`px-2 py-1.5 align-top first:pl-3 ${cell.column.columnDef.meta?.cellClassName ?? ""}`}>
                    <table.FlexRender cell={cell} />
                  </td>
                ))}
              </tr>
            ))}
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
