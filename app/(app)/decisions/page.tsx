import { DecisionFilters } from "@/components/policies/decision-filters";
import { DecisionsTable } from "@/components/policies/decisions-table";
import { PageHeader } from "@/components/ui/page-header";
import { RefusedParams } from "@/components/ui/refused-params";
import { requirePermission } from "@/lib/auth/session";
import { prisma } from "@/lib/db/client";
import { PAGE_SIZES } from "@/lib/inventory/query";
import { parseDecisionListView, toDecisionTableRow } from "@/lib/policy/decision-view";
import { decisionListOrder, findDecisionsPage, loadDecisionFilterChoices } from "@/lib/policy/decisions";

export const metadata = { title: "Decisions" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function Page({ searchParams }: { searchParams: SearchParams }) {
  const actor = await requirePermission("policies:read");
  const params = await searchParams;
  const { query, page, pageSize, refused } = parseDecisionListView(params);
  const [result, choices] = await Promise.all([
    findDecisionsPage(prisma, actor, query, page, pageSize),
    loadDecisionFilterChoices(prisma, query),
  ]);
  const order = decisionListOrder(query);
  // Remount the filter form on every URL change, so it shows the view (back button included).
  const viewKey = JSON.stringify(params);

  return (
    <>
      <PageHeader
        title="Decisions"
        description="Every answer the runtime policies gave an agent: what it asked, what was decided, by which policies and why."
      />
      <RefusedParams refused={refused} />
      <div className="space-y-3">
        <DecisionFilters key={viewKey} policyIds={choices.policyIds} identityName={choices.identityName} />
        <DecisionsTable
          rows={result.data.map(toDecisionTableRow)}
          total={result.total}
          totalIsExact={result.totalIsExact}
          page={result.page}
          pageSize={result.pageSize}
          pageSizes={PAGE_SIZES}
          sort={{ column: order.sort, dir: order.dir }}
          empty="No decisions match."
        />
      </div>
    </>
  );
}
