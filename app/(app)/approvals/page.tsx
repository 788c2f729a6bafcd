import Link from "next/link";
import { ApprovalFilters } from "@/components/approvals/approval-filters";
import { ApprovalsTable } from "@/components/approvals/approvals-table";
import { PageHeader } from "@/components/ui/page-header";
import { RefusedParams } from "@/components/ui/refused-params";
import { can } from "@/lib/auth/actor";
import { requireActor } from "@/lib/auth/session";
import { prisma } from "@/lib/db/client";
import { PAGE_SIZES } from "@/lib/inventory/query";
import { APPROVAL_VIEW_LABELS } from "@/lib/approvals/labels";
import { parseApprovalListView, toApprovalTableRow } from "@/lib/approvals/list-view";
import { approvalListOrder, findApprovalRequestsPage, loadApprovalFilterChoices, type ApprovalView } from "@/lib/approvals/queries";

export const metadata = { title: "Approvals" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

/** Switching view keeps the search, kind and rule filters and the table's settings; status and sort belong to a view. */
const KEPT_ACROSS_VIEWS = ["q", "catalogKey", "rule", "pageSize", "hide"];

export default async function Page({ searchParams }: { searchParams: SearchParams }) {
  const actor = await requireActor();
  const params = await searchParams;
  const readsAll = can(actor, "approvals:read");
  const { query, page, pageSize, refused } = parseApprovalListView(params, actor);
  const [result, choices] = await Promise.all([
    findApprovalRequestsPage(prisma, actor, query, page, pageSize),
    loadApprovalFilterChoices(prisma),
  ]);
  const views = (Object.keys(APPROVAL_VIEW_LABELS) as ApprovalView[]).filter((name) => readsAll || name === "waiting" || name === "mine");
  const order = approvalListOrder(query);
  const now = new Date();
  const viewHref = (view: ApprovalView) => {
    const next = new URLSearchParams({ view });
    for (const name of KEPT_ACROSS_VIEWS) {
      const value = params[name];
      if (typeof value === "string" && value !== "" && !(name in refused)) next.set(name, value);
    }
    return `/approvals?${next.toString()}`;
  };
  // Remount the filter form on every URL change, so it shows the view (back button included).
  const viewKey = JSON.stringify(params);

  return (
    <>
      <PageHeader
        title="Approvals"
        description="Sensitive changes wait here until every level of their rule approves; the last approval applies the change."
        actions={
          readsAll ? (
            <Link href="/approvals/settings" className="text-sm text-sky-700 hover:underline">
              Rules and catalog
            </Link>
          ) : null
        }
      />
      <RefusedParams refused={refused} />
      <nav aria-label="Approval views" className="mb-3 flex flex-wrap items-center gap-1 text-sm">
        {views.map((name) => (
          <Link
            key={name}
            href={viewHref(name)}
            aria-current={name === query.view ? "page" : undefined}
            className={`rounded px-2 py-1 ${name === query.view ? "bg-slate-900 text-white" : "text-slate-700 hover:bg-slate-100"}`}
          >
            {APPROVAL_VIEW_LABELS[name]}
          </Link>
        ))}
      </nav>
      <div className="space-y-3">
        <ApprovalFilters key={viewKey} query={query} kinds={choices.kinds} rules={choices.rules} showStatus={query.view !== "waiting"} />
        {query.view === "waiting" ? <p className="text-xs text-slate-600">Oldest first: this view has no other order.</p> : null}
        <ApprovalsTable
          label={`Approval requests: ${APPROVAL_VIEW_LABELS[query.view]}`}
          rows={result.data.map((item) => toApprovalTableRow(item, now))}
          total={result.total}
          totalIsExact={result.totalIsExact}
          page={result.page}
          pageSize={result.pageSize}
          pageSizes={PAGE_SIZES}
          sort={{ column: order.sort, dir: order.dir }}
          sortable={query.view !== "waiting"}
          empty={
            query.view === "waiting" && !query.q && !query.catalogKey && !query.rule
              ? "Nothing waits for your decision."
              : "No requests match."
          }
        />
      </div>
    </>
  );
}
