"use client";

import Link from "next/link";
import { useSearchParams } from "next/navigation";
import { useActionState } from "react";
import { DataTable } from "@/components/data-table/data-table";
import { dataTableColumnHelper, type DataTableColumn } from "@/components/data-table/features";
import { LocalTime } from "@/components/local-time";
import { IdentityStatusBadge } from "@/components/status-badge";
import { Badge } from "@/components/ui/badge";
import { FormMessage } from "@/components/ui/form-message";
import type { ActionState } from "@/lib/auth/action";
import type { InventoryTableRow } from "@/lib/inventory/view";
import { BulkActions } from "./bulk-actions";
import { AUTONOMY_LABELS, ENVIRONMENT_LABELS, KIND_LABELS } from "@/lib/inventory/labels";
import { RiskTierBadge } from "./risk-badge";

type Action = (state: ActionState, formData: FormData) => Promise<ActionState>;

const column = dataTableColumnHelper<InventoryTableRow>();

// Column ids are the inventory query's sort keys, so a header click writes
// ?sort=<column id> and the server sorts by it.
const COLUMNS: DataTableColumn<InventoryTableRow>[] = column.columns([
  column.accessor("name", {
    id: "name",
    header: "Name",
    meta: { label: "Name", cellClassName: "whitespace-nowrap" },
    cell: ({ row }) => (
      <Link href={`/inventory/${row.original.id}`} className="font-medium text-sky-700 hover:underline">
        {row.original.name}
      </Link>
    ),
  }),
  column.accessor("kind", {
    id: "kind",
    header: "Kind",
    meta: { label: "Kind", cellClassName: "whitespace-nowrap" },
    cell: ({ row }) => KIND_LABELS[row.original.kind],
  }),
  column.accessor("environment", {
    id: "environment",
    header: "Environment",
    meta: { label: "Environment" },
    cell: ({ row }) => ENVIRONMENT_LABELS[row.original.environment],
  }),
  column.accessor("status", {
    id: "status",
    header: "Status",
    meta: { label: "Status", cellClassName: "whitespace-nowrap" },
    cell: ({ row }) => <IdentityStatusBadge status={row.original.status} />,
  }),
  column.accessor("riskTier", {
    id: "riskTier",
    header: "Risk",
    meta: { label: "Risk tier", cellClassName: "whitespace-nowrap" },
    cell: ({ row }) => <RiskTierBadge tier={row.original.riskTier} />,
  }),
  column.accessor("ownerName", { id: "owner", header: "Owner", meta: { label: "Owner", cellClassName: "whitespace-nowrap" } }),
  column.accessor("teamName", {
    id: "team",
    header: "Team",
    meta: { label: "Team", cellClassName: "whitespace-nowrap" },
    cell: ({ row }) => row.original.teamName ?? "—",
  }),
  column.accessor("autonomy", {
    id: "autonomy",
    header: "Autonomy",
    meta: { label: "Autonomy" },
    cell: ({ row }) => AUTONOMY_LABELS[row.original.autonomy],
  }),
  column.accessor("expiresAt", {
    id: "expiresAt",
    header: "Expires",
    meta: { label: "Expires", cellClassName: "whitespace-nowrap" },
    cell: ({ row }) => <LocalTime iso={row.original.expiresAt} />,
  }),
  column.accessor("nextReviewAt", {
    id: "nextReviewAt",
    header: "Next review",
    meta: { label: "Next review", cellClassName: "whitespace-nowrap" },
    cell: ({ row }) =>
      row.original.reviewOverdue ? (
        <span className="font-medium text-red-700">
          <LocalTime iso={row.original.nextReviewAt} /> <span className="text-xs">(overdue)</span>
        </span>
      ) : (
        <LocalTime iso={row.original.nextReviewAt} />
      ),
  }),
  column.accessor("orphanedAt", {
    id: "orphaned",
    header: "Orphaned",
    enableSorting: false,
    meta: { label: "Orphaned" },
    cell: ({ row }) => (row.original.orphanedAt ? <Badge tone="amber">Orphaned</Badge> : null),
  }),
]);

const NOUN = { one: "identity", many: "identities" };
const getRowId = (row: InventoryTableRow) => row.id;
const rowLabel = (row: InventoryTableRow) => row.name;
/** Params that place the reader in the results rather than choose rows; an export ignores them. */
const POSITION_PARAMS = ["page", "pageSize", "hide"];

export function InventoryTable({
  rows,
  total,
  totalIsExact,
  page,
  pageSize,
  pageSizes,
  sort,
  canWrite,
  bulkAction,
}: {
  rows: InventoryTableRow[];
  total: number;
  /** False when there are more matches than the table counts (see countLimitFor). */
  totalIsExact: boolean;
  page: number;
  pageSize: number;
  pageSizes: readonly number[];
  sort: { column: string; dir: "asc" | "desc" };
  canWrite: boolean;
  bulkAction: Action;
}) {
  const searchParams = useSearchParams();
  const [bulkState, bulkFormAction, bulkPending] = useActionState(bulkAction, { status: "idle" });

  const exportParams = new URLSearchParams(searchParams.toString());
  for (const name of POSITION_PARAMS) exportParams.delete(name);
  const exportQuery = exportParams.toString();

  const selectedExportHref = (ids: string[]) => {
    const params = new URLSearchParams();
    for (const id of ids) params.append("id", id);
    params.set("sort", sort.column);
    params.set("dir", sort.dir);
    return `/inventory/export?${params.toString()}`;
  };

  return (
    <div className="space-y-2">
      <FormMessage state={bulkState} />
      <DataTable
        label="AI identities"
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
        empty="No identities match these filters."
        toolbar={
          <a
            href={exportQuery ? `/inventory/export?${exportQuery}` : "/inventory/export"}
            download
            className="text-sm text-sky-700 hover:underline"
          >
            Export this view as CSV ({totalIsExact ? "" : "more than "}
            {total.toLocaleString("en-US")} {total === 1 ? "identity" : "identities"})
          </a>
        }
        selectionActions={(selectedIds) => (
          <BulkActions
            selectedIds={selectedIds}
            canWrite={canWrite}
            formAction={bulkFormAction}
            pending={bulkPending}
            exportHref={selectedExportHref(selectedIds)}
          />
        )}
      />
    </div>
  );
}
