"use client";

import Link from "next/link";
import { DataTable } from "@/components/data-table/data-table";
import type { DataTableColumn } from "@/components/data-table/features";
import { RiskTierBadge } from "@/components/inventory/risk-badge";
import { LocalTime } from "@/components/local-time";
import type { ApprovalTableRow } from "@/lib/approvals/list-view";
import { ApprovalStatusBadge } from "./approval-status-badge";

// Column ids that sort are the list query's sort keys (lib/approvals/list-sql.ts),
// so a header click writes ?sort=<column id> and the server sorts by it.
const COLUMNS: DataTableColumn<ApprovalTableRow>[] = [
  {
    id: "summary",
    label: "Change",
    sortable: false,
    hideable: false,
    cell: (row) => (
      <>
        <Link href={`/approvals/${row.id}`} className="font-medium text-sky-700 hover:underline">
          {row.summary}
        </Link>
        <div className="text-xs text-slate-500">{row.catalogLabel}</div>
      </>
    ),
  },
  {
    id: "status",
    label: "Status",
    cell: (row) => (
      <>
        <ApprovalStatusBadge status={row.status} breakGlass={row.breakGlass} />
        {row.waitingFor ? <div className="text-xs text-slate-500">{row.waitingFor}</div> : null}
      </>
    ),
  },
  { id: "requester", label: "Requested by", cell: (row) => row.requesterName },
  { id: "identity", label: "Identity", sortable: false, cell: (row) => row.identityName ?? "—" },
  { id: "rule", label: "Rule", sortable: false, cell: (row) => row.ruleName },
  {
    id: "risk",
    label: "Risk",
    sortable: false,
    cellClassName: "whitespace-nowrap",
    cell: (row) => (
      <>
        {row.riskBefore ? <RiskTierBadge tier={row.riskBefore} /> : null}
        {row.riskAfter && row.riskAfter !== row.riskBefore ? (
          <>
            {" → "}
            <RiskTierBadge tier={row.riskAfter} />
          </>
        ) : null}
      </>
    ),
  },
  { id: "createdAt", label: "Asked", cellClassName: "whitespace-nowrap", cell: (row) => <LocalTime iso={row.createdAt} /> },
  {
    id: "expiresAt",
    label: "Expires",
    cellClassName: "whitespace-nowrap",
    cell: (row) => (
      <>
        <LocalTime iso={row.expiresAt} />
        {row.timeLeft ? <div className="text-xs text-slate-500">{row.timeLeft}</div> : null}
      </>
    ),
  },
];

/** The waiting view has one order (oldest first), so its headers do not sort. */
const UNSORTABLE_COLUMNS = COLUMNS.map((definition) => ({ ...definition, sortable: false }));

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
