import Link from "next/link";
import { InventoryFilters } from "@/components/inventory/inventory-filters";
import { InventoryLinks } from "@/components/inventory/inventory-links";
import { InventoryTable } from "@/components/inventory/inventory-table";
import { SavedViewsMenu } from "@/components/inventory/saved-views-menu";
import { PageHeader } from "@/components/ui/page-header";
import { can } from "@/lib/auth/actor";
import { requirePermission } from "@/lib/auth/session";
import { prisma } from "@/lib/db/client";
import { isInventoryManager } from "@/lib/inventory/access";
import { PAGE_SIZES } from "@/lib/inventory/query";
import { listSavedViews } from "@/lib/inventory/saved-views";
import { loadInventoryChoices, loadInventoryPage, parseInventoryView, toInventoryTableRow } from "@/lib/inventory/view";
import { bulkUpdateIdentitiesAction, createSavedViewAction, deleteSavedViewAction } from "./actions";

export const metadata = { title: "Inventory" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

/** The filters in the address as a query string, for a campaign over them (the page and position are dropped there). */
function currentQuery(params: Record<string, string | string[] | undefined>): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) for (const item of [value ?? []].flat()) query.append(key, item);
  return query.toString();
}

export default async function InventoryPage({ searchParams }: { searchParams: SearchParams }) {
  const actor = await requirePermission("inventory:read");
  const params = await searchParams;
  const view = parseInventoryView(params);
  const now = new Date();
  const [result, choices, savedViews] = await Promise.all([
    loadInventoryPage(prisma, view, now),
    loadInventoryChoices(prisma, view.query),
    listSavedViews(prisma, actor),
  ]);
  const canWrite = can(actor, "inventory:write");
  const canStartCampaign = can(actor, "lifecycle:configure");
  // Remount the filter form and saved views menu on every URL change, so they show the view (back button included).
  const viewKey = JSON.stringify(params);

  return (
    <>
      <PageHeader
        title="Inventory"
        description="Every AI identity with its owner, purpose, reach, credentials and risk."
        actions={
          <>
            <SavedViewsMenu
              key={viewKey}
              views={savedViews}
              canSave={canWrite}
              canShare={isInventoryManager(actor)}
              createAction={createSavedViewAction}
              deleteAction={deleteSavedViewAction}
              canStartCampaign={canStartCampaign}
            />
            {canStartCampaign ? (
              <Link
                href={`/campaigns/new?query=${encodeURIComponent(currentQuery(params))}`}
                className="rounded px-2.5 py-1 text-sm font-medium text-slate-800 ring-1 ring-slate-300 ring-inset hover:bg-slate-50"
              >
                Start a campaign
              </Link>
            ) : null}
            <InventoryLinks register={canWrite} />
          </>
        }
      />
      {view.error ? (
        <div role="alert" className="mb-3 rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">
          <p className="font-medium">Some filters in the address are not valid, so all identities are shown unfiltered.</p>
          <ul className="mt-1 list-inside list-disc">
            {Object.entries(view.error.fields ?? {}).map(([field, message]) => (
              <li key={field}>
                <code>{field}</code>: {message}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <div className="space-y-3">
        <InventoryFilters key={viewKey} query={view.query} owner={choices.owner} teams={choices.teams} />
        <InventoryTable
          rows={result.rows.map((row) => toInventoryTableRow(row, now))}
          total={result.total}
          totalIsExact={result.totalIsExact}
          page={result.page}
          pageSize={result.pageSize}
          pageSizes={PAGE_SIZES}
          sort={{ column: view.query.sort, dir: view.query.dir }}
          canWrite={canWrite}
          bulkAction={bulkUpdateIdentitiesAction}
        />
      </div>
    </>
  );
}
