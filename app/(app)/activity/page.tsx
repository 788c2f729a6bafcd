import { ActivityFilters } from "@/components/events/activity-filters";
import { ActivityTable } from "@/components/events/activity-table";
import { PageHeader } from "@/components/ui/page-header";
import { RefusedParams } from "@/components/ui/refused-params";
import { requirePermission } from "@/lib/auth/session";
import { prisma } from "@/lib/db/client";
import { findActivityPage, findIdentityName, parseActivityListView } from "@/lib/events/list";
import { toActivityTableRow } from "@/lib/events/view";
import { PAGE_SIZES } from "@/lib/inventory/query";

export const metadata = { title: "Activity" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function Page({ searchParams }: { searchParams: SearchParams }) {
  await requirePermission("inventory:read");
  const params = await searchParams;
  const { query, page, pageSize, refused } = parseActivityListView(params);
  const [result, identityName] = await Promise.all([
    findActivityPage(prisma, query, page, pageSize),
    query.identity ? findIdentityName(prisma, query.identity) : null,
  ]);
  const filtered = Object.values(query).some((value) => value !== undefined);

  return (
    <>
      <PageHeader
        title="Activity"
        description="Tool calls, token uses and privileged actions that AI identities report, newest first, with the flags Warrant raised on them. Append-only and hash-chained: verify it with `npm run cli -- events:verify`."
      />
      <RefusedParams refused={refused} />
      <div className="space-y-3">
        {/* Remount the filter form on every URL change, so it shows the view (back button included). */}
        <ActivityFilters key={JSON.stringify(params)} query={query} identityName={identityName} />
        <ActivityTable
          rows={result.items.map(toActivityTableRow)}
          total={result.total}
          totalIsExact={result.totalIsExact}
          page={result.page}
          pageSize={result.pageSize}
          pageSizes={PAGE_SIZES}
          empty={filtered ? "No events match." : "No events reported yet."}
        />
      </div>
    </>
  );
}
