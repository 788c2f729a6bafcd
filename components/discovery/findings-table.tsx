"use client";

import Link from "next/link";
import { DataTable } from "@/components/data-table/data-table";
import type { DataTableColumn } from "@/components/data-table/features";
import { LocalTime } from "@/components/local-time";
import type { FindingTableRow } from "@/lib/discovery/labels";
import { KIND_LABELS } from "@/lib/inventory/labels";
import { FindingStatusBadges, SeverityBadge } from "./finding-badges";

// Column ids that sort are the queue's sort keys (FINDING_SORTS in
// lib/discovery/queries.ts), so a header click writes ?sort=<id> and the
// server sorts by it.
const COLUMNS: DataTableColumn<FindingTableRow>[] = [
  { id: "severity", label: "Severity", cell: (row) => <SeverityBadge severity={row.severity} /> },
  {
    id: "tool",
    label: "Tool and finding",
    hideable: false,
    cell: (row) => (
      <>
        <div className="text-xs text-slate-500">{row.tool}</div>
        <Link href={`/discovered/${row.id}`} className="font-medium text-sky-700 hover:underline">
          {row.title}
        </Link>
      </>
    ),
  },
  {
    id: "repository",
    label: "Repository",
    cell: (row) => (
      <>
        {row.repository} <span className="text-xs text-slate-500">({row.environment})</span>
      </>
    ),
  },
  {
    id: "file",
    label: "File",
    cellClassName: "font-mono text-xs",
    cell: (row) => `${row.file}:${row.line}`,
  },
  {
    id: "proposal",
    label: "Proposal",
    sortable: false,
    cell: (row) =>
      row.proposal ? (
        <>
          {KIND_LABELS[row.proposal.kind]}
          <div className="text-xs text-slate-500">{row.proposal.permissions.join(", ") || "no repository access"}</div>
        </>
      ) : (
        <span className="text-slate-500">None (not a tool)</span>
      ),
  },
  {
    id: "status",
    label: "Status",
    sortable: false,
    cell: (row) => (
      <>
        <FindingStatusBadges status={row.status} gone={row.gone} beyondGrants={row.beyondGrants} />
        {row.identity ? (
          <div className="text-xs">
            <Link href={`/inventory/${row.identity.id}`} className="text-sky-700 hover:underline">
              {row.identity.name}
            </Link>
          </div>
        ) : null}
        {row.pendingRequestId ? (
          <div className="text-xs">
            <Link href={`/approvals/${row.pendingRequestId}`} className="text-amber-800 hover:underline">
              Registration awaits approval
            </Link>
          </div>
        ) : null}
      </>
    ),
  },
  { id: "lastSeenAt", label: "Last seen", cellClassName: "whitespace-nowrap", cell: (row) => <LocalTime iso={row.lastSeenAt} /> },
];

const NOUN = { one: "finding", many: "findings" };
const getRowId = (row: FindingTableRow) => row.id;
const rowLabel = (row: FindingTableRow) => `${row.title} in ${row.repository}`;

export function FindingsTable({
  label,
  rows,
  total,
  page,
  pageSize,
  pageSizes,
  sort,
  empty,
}: {
  label: string;
  rows: FindingTableRow[];
  total: number;
  page: number;
  pageSize: number;
  pageSizes: readonly number[];
  sort: { column: string; dir: "asc" | "desc" };
  empty: string;
}) {
  return (
    <DataTable
      label={label}
      columns={COLUMNS}
      data={rows}
      getRowId={getRowId}
      rowLabel={rowLabel}
      rowCount={total}
      page={page}
      pageSize={pageSize}
      pageSizes={pageSizes}
      sort={sort}
      noun={NOUN}
      empty={empty}
    />
  );
}
