"use client";

import Link from "next/link";
import { DataTable } from "@/components/data-table/data-table";
import { dataTableColumnHelper, type DataTableColumn } from "@/components/data-table/features";
import { RiskTierBadge } from "@/components/inventory/risk-badge";
import { LocalTime } from "@/components/local-time";
import type { ApprovalTableRow } from "@/lib/approvals/list-view";
import { ApprovalStatusBadge } from "./approval-status-badge";

const column = dataTableColumnHelper<ApprovalTableRow>();

// Column ids that sort are the list query's sort keys (lib/approvals/list-sql.ts),
// so a header click writes ?sort=<column id> and the server sorts by it.
const COLUMNS: DataTableColumn<ApprovalTableRow>[] = column.columns([
  column.accessor("summary", {
    id: "summary",
    header: "Change",
    enableSorting: false,
    enableHiding: false,
    meta: { label: "Change" },
    cell: ({ row }) => (
      <>
        <Link href={`/approvals/${row.original.id}`} className="font-medium text-sky-700 hover:underline">
          {row.original.summary}
        </Link>
        <div className="text-xs text-slate-500">{row.original.catalogLabel}</div>
      </>
    ),
  }),
  column.accessor("status", {
    id: "status",
    header: "Status",
    meta: { label: "Status" },
    cell: ({ row }) => (
      <>
        <ApprovalStatusBadge status={row.original.status} breakGlass={row.original.breakGlass} />
        {row.original.waitingFor ? <div className="text-xs text-slate-500">{row.original.waitingFor}</div> : null}
      </>
    ),
  }),
  column.accessor("requesterName", { id: "requester", header: "Requested by", meta: { label: "Requested by" } }),
  column.accessor("identityName", {
    id: "identity",
    header: "Identity",
    enableSorting: false,
    meta: { label: "Identity" },
    cell: ({ row }) => row.original.identityName ?? "—",
  }),
  column.accessor("ruleName", { id: "rule", header: "Rule", enableSorting: false, meta: { label: "Rule" } }),
  column.accessor("riskAfter", {
    id: "risk",
    header: "Risk",
    enableSorting: false,
    meta: { label: "Risk", cellClassName: "whitespace-nowrap" },
    cell: ({ row }) => (
      <>
        {row.original.riskBefore ? <RiskTierBadge tier={row.original.riskBefore} /> : null}
        {row.original.riskAfter && row.original.riskAfter !== row.original.riskBefore ? (
          <>
            {" → "}
            <RiskTierBadge tier={row.original.riskAfter} />
          </>
        ) : null}
      </>
    ),
  }),
  column.accessor("createdAt", {
    id: "createdAt",
    header: "Asked",
    meta: { label: "Asked", cellClassName: "whitespace-nowrap" },
    cell: ({ row }) => <LocalTime iso={row.original.createdAt} />,
  }),
  column.accessor("expiresAt", {
    id: "expiresAt",
    header: "Expires",
    meta: { label: "Expires", cellClassName: "whitespace-nowrap" },
    cell: ({ row }) => (
      <>
        <LocalTime iso={row.original.expiresAt} />
        {row.original.timeLeft ? <div className="text-xs text-slate-500">{row.original.timeLeft}</div> : null}
      </>
    ),
  }),
]);

/** The waiting view has one order (oldest first), so its headers do not sort. */
const UNSORTABLE_COLUMNS = COLUMNS.map((definition) => ({ ...definition, enableSorting: false }));

const NOUN = { one: "request", many: "requests" };
const getRowId = (row: ApprovalTableRow) => row.id;
const rowLabel = (row: ApprovalTableRow) => row.summary;

export function ApprovalsTable({
  label,
  rows,
  total,
  totalIsExact,
  page,
  pageSize,
  pageSizes,
  sort,
  sortable,
  empty,
}: {
  label: string;
  rows: ApprovalTableRow[];
  total: number;
  totalIsExact: boolean;
  page: number;
  pageSize: number;
  pageSizes: readonly number[];
  sort: { column: string; dir: "asc" | "desc" };
  sortable: boolean;
  empty: string;
}) {
  return (
    <DataTable
      label={label}
      columns={sortable ? COLUMNS : UNSORTABLE_COLUMNS}
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
