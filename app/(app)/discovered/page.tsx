import Link from "next/link";
import { FindingFilters } from "@/components/discovery/finding-filters";
import { FindingsTable } from "@/components/discovery/findings-table";
import { RefusedParams } from "@/components/ui/refused-params";
import { PageHeader } from "@/components/ui/page-header";
import { requirePermission } from "@/lib/auth/session";
import { prisma } from "@/lib/db/client";
import { toFindingTableRow } from "@/lib/discovery/labels";
import {
  FINDING_VIEW_LABELS,
  FINDING_VIEWS,
  findFindingsPage,
  findingSortDir,
  parseFindingListParams,
  visibleRepositories,
  type FindingView,
} from "@/lib/discovery/queries";
import { PAGE_SIZES } from "@/lib/inventory/query";

export const metadata = { title: "Discovered" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

/** Switching view keeps the filters and the table's settings; the sort and page start over. */
const KEPT_ACROSS_VIEWS = ["q", "severity", "detector", "repository", "environment", "pageSize", "hide"];

export default async function Page({ searchParams }: { searchParams: SearchParams }) {
  const actor = await requirePermission("inventory:read");
  const params = await searchParams;
  const { query, refused } = parseFindingListParams(params);
  const [result, repositories] = await Promise.all([findFindingsPage(prisma, actor, query), visibleRepositories(prisma, actor)]);
  const viewHref = (view: FindingView) => {
    const next = new URLSearchParams({ view });
    for (const name of KEPT_ACROSS_VIEWS) {
      const value = params[name];
      if (typeof value === "string" && value !== "" && !(name in refused)) next.set(name, value);
    }
    return `/discovered?${next.toString()}`;
  };
  const filtered = Boolean(query.q || query.severity || query.detector || query.repository || query.environment);

  return (
    <>
      <PageHeader
        title="Discovered"
        description="AI tools a repository scan found that the inventory may not know: register each, link it to the identity it is, or dismiss it with a reason."
      />
      <RefusedParams refused={refused} />
      <nav aria-label="Finding views" className="mb-3 flex flex-wrap items-center gap-1 text-sm">
        {FINDING_VIEWS.map((name) => (
          <Link
            key={name}
            href={viewHref(name)}
            aria-current={name === query.view ? "page" : undefined}
            className={`rounded px-2 py-1 ${name === query.view ? "bg-slate-900 text-white" : "text-slate-700 hover:bg-slate-100"}`}
          >
            {FINDING_VIEW_LABELS[name]}
          </Link>
        ))}
      </nav>
      <div className="space-y-3">
        <FindingFilters key={JSON.stringify(params)} query={query} repositories={[...new Set(repositories.map((repo) => repo.name))]} />
        <FindingsTable
          label={`Discovered findings: ${FINDING_VIEW_LABELS[query.view]}`}
          rows={result.data.map(toFindingTableRow)}
          total={result.total}
          page={result.page}
          pageSize={result.pageSize}
          pageSizes={PAGE_SIZES}
          sort={{ column: query.sort, dir: findingSortDir(query) }}
          empty={
            filtered
              ? "No findings match these filters."
              : query.view === "open"
                ? "Nothing waits for a decision. Findings appear here when a scan (npm run cli -- scan --submit) finds an AI tool in a repository you can see."
                : "No findings in this view."
          }
        />
      </div>
    </>
  );
}
