"use client";

import Link from "next/link";
import { DataTable } from "@/components/data-table/data-table";
import type { DataTableColumn } from "@/components/data-table/features";
import { LocalTime } from "@/components/local-time";
import { Badge } from "@/components/ui/badge";
import type { ActivityTableRow } from "@/lib/events/view";

// The Activity log's table: newest first, its one order (the chain's), so no
// header sorts. Each flag shows its reason beside its name.

const COLUMNS: DataTableColumn<ActivityTableRow>[] = [
  {
    id: "occurredAt",
    label: "When",
    sortable: false,
    hideable: false,
    cellClassName: "whitespace-nowrap",
    cell: (row) => (
      <>
        <LocalTime iso={row.occurredAt} />
        <div className="text-xs text-slate-500">#{row.seq}</div>
      </>
    ),
  },
  {
    id: "identity",
    label: "Identity",
    sortable: false,
    cell: (row) => (
      <Link href={`/inventory/${row.identityId}`} className="text-sky-700 hover:underline">
        {row.identityName}
      </Link>
    ),
  },
  { id: "kind", label: "Kind", sortable: false, cell: (row) => row.kindLabel },
  {
    id: "what",
    label: "What",
    sortable: false,
    cell: (row) => (
      <>
        <span className="font-mono text-xs">{row.what}</span>
        {row.systemName ? <div className="text-xs text-slate-500">on {row.systemName}</div> : null}
      </>
    ),
  },
  { id: "result", label: "Result", sortable: false, cell: (row) => row.result ?? "—" },
  {
    id: "decision",
    label: "Decision",
    sortable: false,
    cell: (row) => (row.decisionId ? <span className="font-mono text-xs">{row.decisionId}</span> : "—"),
  },
  {
    id: "flags",
    label: "Flags",
    sortable: false,
    cell: (row) =>
      row.flags.length === 0 ? (
        "—"
      ) : (
        <ul className="space-y-1">
          {row.flags.map((flag) => (
            <li key={flag.kind}>
              <Badge tone="red">{flag.label}</Badge>
              <div className="text-xs text-slate-600">{flag.reason}</div>
            </li>
          ))}
        </ul>
      ),
  },
];

const NOUN = { one: "event", many: "events" };
const getRowId = (row: ActivityTableRow) => row.seq;
const rowLabel = (row: ActivityTableRow) => `event #${row.seq}`;
const SORT = { column: "occurredAt", dir: "desc" as const };

export function ActivityTable({
  rows,
  total,
  totalIsExact,
  page,
  pageSize,
  pageSizes,
  empty,
}: {
  rows: ActivityTableRow[];
  total: number;
  totalIsExact: boolean;
  page: number;
  pageSize: number;
  pageSizes: readonly number[];
  empty: string;
}) {
  return (
    <DataTable
      label="Activity events"
      columns={COLUMNS}
      data={rows}
      getRowId={getRowId}
      rowLabel={rowLabel}
      rowCount={total}
      rowCountIsExact={totalIsExact}
      page={page}
      pageSize={pageSize}
      pageSizes={pageSizes}
      sort={SORT}
      noun={NOUN}
      empty={empty}
    />
  );
}
