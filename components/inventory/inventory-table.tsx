"use client";

import Link from "next/link";
import { useSearchParams } from "next/navigation";
import { useActionState } from "react";
import { DataTable } from "@/components/data-table/data-table";
import type { DataTableColumn } from "@/components/data-table/features";
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

// Column ids are the inventory query's sort keys, so a header click writes
// ?sort=<column id> and the server sorts by it.
const COLUMNS: DataTableColumn<InventoryTableRow>[] = [
  {
    id: "name",
    label: "Name",
    cellClassName: "whitespace-nowrap",
    cell: (row) => (
      <Link href={`/inventory/${row.id}`} className="font-medium text-sky-700 hover:underline">
        {row.name}
      </Link>
    ),
  },
  { id: "kind", label: "Kind", cellClassName: "whitespace-nowrap", cell: (row) => KIND_LABELS[row.kind] },
  { id: "environment", label: "Environment", cell: (row) => ENVIRONMENT_LABELS[row.environment] },
  { id: "status", label: "Status", cellClassName: "whitespace-nowrap", cell: (row) => <IdentityStatusBadge status={row.status} /> },
  {
    id: "riskTier",
    label: "Risk tier",
    header: "Risk",
    cellClassName: "whitespace-nowrap",
    cell: (row) => <RiskTierBadge tier={row.riskTier} />,
  },
  { id: "owner", label: "Owner", cellClassName: "whitespace-nowrap", cell: (row) => row.ownerName },
  { id: "team", label: "Team", cellClassName: "whitespace-nowrap", cell: (row) => row.teamName ?? "—" },
  { id: "autonomy", label: "Autonomy", cell: (row) => AUTONOMY_LABELS[row.autonomy] },
  { id: "expiresAt", label: "Expires", cellClassName: "whitespace-nowrap", cell: (row) => <LocalTime iso={row.expiresAt} /> },
  {
    id: "nextReviewAt",
    label: "Next review",
    cellClassName: "whitespace-nowrap",
    cell: (row) =>
      row.reviewOverdue ? (
        <span className="font-medium text-red-700">
          <LocalTime iso={row.nextReviewAt} /> <span className="text-xs">(overdue)</span>
        </span>
      ) : (
        <LocalTime iso={row.nextReviewAt} />
      ),
  },
  {
    id: "orphaned",
    label: "Orphaned",
    sortable: false,
    cell: (row) => (row.orphanedFor ? <Badge tone="amber">Orphaned {row.orphanedFor}</Badge> : null),
  },
];

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
