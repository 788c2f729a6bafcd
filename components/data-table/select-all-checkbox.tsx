"use client";

import { useEffect, useRef } from "react";
import type { RowData, Table } from "@tanstack/react-table";
import type { DataTableFeatures } from "./features";

/** The header checkbox: selects every row on this page; shows "some" as the indeterminate state. */
export function SelectAllCheckbox<Row extends RowData>({
  table,
  noun,
}: {
  table: Pick<
    Table<DataTableFeatures, Row>,
    "getIsAllPageRowsSelected" | "getIsSomePageRowsSelected" | "getToggleAllPageRowsSelectedHandler"
  >;
  noun: string;
}) {
  const ref = useRef<HTMLInputElement>(null);
  const all = table.getIsAllPageRowsSelected();
  const some = table.getIsSomePageRowsSelected();
  useEffect(() => {
    if (ref.current) ref.current.indeterminate = some && !all;
  }, [some, all]);
  return (
    <input
      ref={ref}
      type="checkbox"
      aria-label={`Select all ${noun} on this page`}
      checked={all}
      onChange={table.getToggleAllPageRowsSelectedHandler()}
    />
  );
}
