"use client";

import { useSyncExternalStore } from "react";
import type { RowData, Table } from "@tanstack/react-table";
import type { DataTableFeatures } from "./features";

const noSubscription = () => () => undefined;

/**
 * "Columns": a disclosure of checkboxes, one per column that may be hidden.
 * The <details> opens without JavaScript, so the checkboxes stay disabled
 * until the page is interactive; a click before that would be undone.
 */
export function ColumnChooser<Row extends RowData>({ table }: { table: Pick<Table<DataTableFeatures, Row>, "getAllLeafColumns"> }) {
  const interactive = useSyncExternalStore(
    noSubscription,
    () => true,
    () => false,
  );
  const columns = table.getAllLeafColumns().filter((column) => column.getCanHide());
  const hiddenCount = columns.filter((column) => !column.getIsVisible()).length;
  return (
    <details className="relative text-sm">
      <summary className="cursor-pointer list-none rounded bg-white px-2.5 py-1 font-medium text-slate-800 ring-1 ring-inset ring-slate-300 hover:bg-slate-50">
        Columns{hiddenCount > 0 ? ` (${hiddenCount} hidden)` : ""}
      </summary>
      <fieldset className="absolute right-0 z-10 mt-1 w-52 space-y-1 rounded-md border border-slate-200 bg-white p-2 shadow-md">
        <legend className="sr-only">Visible columns</legend>
        {columns.map((column) => (
          <label key={column.id} className="flex items-center gap-2">
            <input type="checkbox" checked={column.getIsVisible()} disabled={!interactive} onChange={column.getToggleVisibilityHandler()} />
            {column.columnDef.meta?.label ?? column.id}
          </label>
        ))}
      </fieldset>
    </details>
  );
}
