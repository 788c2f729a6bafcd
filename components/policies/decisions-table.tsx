"use client";

import Link from "next/link";
import { DataTable } from "@/components/data-table/data-table";
import type { DataTableColumn } from "@/components/data-table/features";
import { LocalTime } from "@/components/local-time";
import { ACTION_LABELS, formatLatency } from "@/lib/policy/decision-labels";
import type { DecisionTableRow } from "@/lib/policy/decision-view";
import { DecisionOutcomeBadge } from "./decision-outcome-badge";

// Column ids that sort are the log's sort keys (lib/policy/decision-list-sql.ts),
// so a header click writes ?sort=<column id> and the server sorts by it.

/** The log filtered to one system or tool: systems have no page of their own, and this answers "what was asked of it". */
const resourceHref = (row: DecisionTableRow) => `/decisions?resource=${encodeURIComponent(row.resourceId)}`;

const COLUMNS: DataTableColumn<DecisionTableRow>[] = [
  {
    id: "createdAt",
    label: "Time",
    hideable: false,
    cellClassName: "whitespace-nowrap",
    cell: (row) => (
      <Link href={`/decisions/${row.id}`} className="text-sky-700 hover:underline" aria-label={`Decision ${row.id}`}>
        <LocalTime iso={row.createdAt} />
      </Link>
    ),
  },
  {
    id: "identity",
    label: "Identity",
    sortable: false,
    cell: (row) => (
      <Link href={`/inventory/${row.identityId}`} className="font-medium text-sky-700 hover:underline">
        {row.identityName}
      </Link>
    ),
  },
  { id: "action", label: "Action", sortable: false, cell: (row) => ACTION_LABELS[row.action] ?? row.action },
  {
    id: "resource",
    label: "Resource",
    sortable: false,
    cell: (row) => (
      <Link href={resourceHref(row)} className="text-sky-700 hover:underline" title={`Decisions on ${row.resourceName ?? row.resourceId}`}>
        {row.resourceType === "Tool" ? <code>{row.resourceName}</code> : (row.resourceName ?? `deleted system ${row.resourceId}`)}
      </Link>
    ),
  },
  { id: "outcome", label: "Outcome", sortable: false, cell: (row) => <DecisionOutcomeBadge outcome={row.outcome} /> },
  {
    id: "policies",
    label: "Policies",
    sortable: false,
    cell: (row) =>
      row.policyIds.length === 0 ? (
        "—"
      ) : (
        <span className="flex flex-wrap gap-1">
          {row.policyIds.map((id) => (
            <Link key={id} href={`/decisions?policy=${encodeURIComponent(id)}`} className="text-xs text-sky-700 hover:underline">
              <code>{id}</code>
            </Link>
          ))}
        </span>
      ),
  },
  {
    id: "reasons",
    label: "Reasons",
    sortable: false,
    cell: (row) => <span className="text-xs text-slate-700">{row.reasons.join(" ")}</span>,
  },
  {
    id: "latency",
    label: "Latency",
    cellClassName: "whitespace-nowrap text-right tabular-nums",
    cell: (row) => formatLatency(row.latencyMicros),
  },
];

const NOUN = { one: "decision", many: "decisions" };
const getRowId = (row: DecisionTableRow) => row.id;
const rowLabel = (row: DecisionTableRow) => `${row.identityName} ${row.action} ${row.resourceName ?? row.resourceId}`;

export function DecisionsTable({
  rows,
  total,
  totalIsExact,
  page,
  pageSize,
  pageSizes,
  sort,
  empty,
}: {
  rows: DecisionTableRow[];
  total: number;
  totalIsExact: boolean;
  page: number;
  pageSize: number;
  pageSizes: readonly number[];
  sort: { column: string; dir: "asc" | "desc" };
  empty: string;
}) {
  return (
    <DataTable
      label="Runtime decisions"
      columns={COLUMNS}
      data={rows}
      getRowId={getRowId}
      rowLabel={rowLabel}
      rowCount={total}
      rowCountIsExact={totalIsExact}
      page={page}
      pageSize={pageSize}
      pageSizes={pageSizes}
      sort={sort}
      noun={NOUN}
      empty={empty}
    />
  );
}
