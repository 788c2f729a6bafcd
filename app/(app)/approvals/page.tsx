import Link from "next/link";
import { ApprovalStatusBadge } from "@/components/approvals/approval-status-badge";
import { RiskTierBadge } from "@/components/inventory/risk-badge";
import { LocalTime } from "@/components/local-time";
import { PageHeader } from "@/components/ui/page-header";
import { TableFrame, TableHead } from "@/components/ui/table";
import { can } from "@/lib/auth/actor";
import { requireActor } from "@/lib/auth/session";
import { prisma } from "@/lib/db/client";
import { APPROVAL_STATUS_LABELS, APPROVAL_VIEW_LABELS, timeLeft } from "@/lib/approvals/labels";
import { approvalListQuery, listApprovalRequests, type ApprovalView } from "@/lib/approvals/queries";
import { fieldErrorsFromZod } from "@/lib/errors";

export const metadata = { title: "Approvals" };

const PAGE_SIZE = 50;

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

export default async function Page({ searchParams }: { searchParams: SearchParams }) {
  const actor = await requireActor();
  const params = await searchParams;
  const readsAll = can(actor, "approvals:read");
  const parsed = approvalListQuery.safeParse({ view: first(params.view), status: first(params.status) });
  const query = parsed.success ? parsed.data : { view: "waiting" as const, status: undefined };
  const view: ApprovalView = !readsAll && (query.view === "all" || query.view === "history") ? "waiting" : query.view;
  const cursor = first(params.cursor);
  const { data, nextCursor } = await listApprovalRequests(prisma, actor, { ...query, view }, { limit: PAGE_SIZE, cursor });
  const views = (Object.keys(APPROVAL_VIEW_LABELS) as ApprovalView[]).filter((name) => readsAll || name === "waiting" || name === "mine");
  const now = new Date();
  const href = (changes: Record<string, string | undefined>) => {
    const next = new URLSearchParams();
    for (const [key, value] of Object.entries({ view, status: query.status, ...changes })) if (value) next.set(key, value);
    return `/approvals?${next.toString()}`;
  };

  return (
    <>
      <PageHeader
        title="Approvals"
        description="Sensitive changes wait here until every level of their rule approves; the last approval applies the change."
        actions={
          can(actor, "approvals:read") ? (
            <Link href="/approvals/settings" className="text-sm text-sky-700 hover:underline">
              Rules and catalog
            </Link>
          ) : null
        }
      />
      {!parsed.success ? (
        <p role="alert" className="mb-3 text-sm text-red-700">
          Ignored a bad filter:{" "}
          {Object.entries(fieldErrorsFromZod(parsed.error))
            .map(([field, message]) => `${field} ${message}`)
            .join("; ")}
        </p>
      ) : null}
      <nav aria-label="Approval views" className="mb-3 flex flex-wrap items-center gap-1 text-sm">
        {views.map((name) => (
          <Link
            key={name}
            href={href({ view: name, status: undefined, cursor: undefined })}
            aria-current={name === view ? "page" : undefined}
            className={`rounded px-2 py-1 ${name === view ? "bg-slate-900 text-white" : "text-slate-700 hover:bg-slate-100"}`}
          >
            {APPROVAL_VIEW_LABELS[name]}
          </Link>
        ))}
        {view !== "waiting" ? (
          <form className="ml-auto flex items-center gap-2" action="/approvals">
            <input type="hidden" name="view" value={view} />
            <label className="text-xs text-slate-600">
              Status{" "}
              <select name="status" defaultValue={query.status ?? ""} className="rounded border border-slate-300 px-1 py-0.5 text-sm">
                <option value="">Any</option>
                {Object.entries(APPROVAL_STATUS_LABELS).map(([value, label]) => (
                  <option key={value} value={value}>
                    {label}
                  </option>
                ))}
              </select>
            </label>
            <button type="submit" className="rounded px-2 py-0.5 text-sm ring-1 ring-slate-300 hover:bg-slate-50">
              Filter
            </button>
          </form>
        ) : null}
      </nav>
      <TableFrame
        label={`Approval requests: ${APPROVAL_VIEW_LABELS[view]}`}
        empty={data.length === 0 ? (view === "waiting" ? "Nothing waits for your decision." : "No requests.") : undefined}
      >
        <TableHead>
          <th scope="col" className="px-3 py-2">
            Change
          </th>
          <th scope="col" className="px-3 py-2">
            Status
          </th>
          <th scope="col" className="px-3 py-2">
            Requested by
          </th>
          <th scope="col" className="px-3 py-2">
            Rule
          </th>
          <th scope="col" className="px-3 py-2">
            Risk
          </th>
          <th scope="col" className="px-3 py-2">
            Asked
          </th>
          <th scope="col" className="px-3 py-2">
            Time left
          </th>
        </TableHead>
        <tbody className="divide-y divide-slate-100">
          {data.map((row) => (
            <tr key={row.id} className="align-top">
              <td className="px-3 py-2">
                <Link href={`/approvals/${row.id}`} className="font-medium text-sky-700 hover:underline">
                  {row.summary}
                </Link>
                <div className="text-xs text-slate-500">{row.catalogLabel}</div>
              </td>
              <td className="px-3 py-2">
                <ApprovalStatusBadge status={row.status} breakGlass={row.breakGlass} />
                {row.waitingForLevel ? (
                  <div className="text-xs text-slate-500">
                    Level {row.waitingForLevel.number} of {row.levelCount}: {row.waitingForLevel.name}
                  </div>
                ) : null}
              </td>
              <td className="px-3 py-2">{row.requester.name ?? row.requester.email}</td>
              <td className="px-3 py-2">{row.rule.name}</td>
              <td className="px-3 py-2 whitespace-nowrap">
                {row.riskBefore ? <RiskTierBadge tier={row.riskBefore} /> : null}
                {row.riskAfter && row.riskAfter !== row.riskBefore ? (
                  <>
                    {" → "}
                    <RiskTierBadge tier={row.riskAfter} />
                  </>
                ) : null}
              </td>
              <td className="px-3 py-2 whitespace-nowrap">
                <LocalTime iso={row.createdAt.toISOString()} />
              </td>
              <td className="px-3 py-2 whitespace-nowrap">{row.status === "PENDING" ? timeLeft(row.expiresAt, now) : "—"}</td>
            </tr>
          ))}
        </tbody>
      </TableFrame>
      <div className="mt-2 flex gap-3 text-sm">
        {cursor ? (
          <Link href={href({ cursor: undefined })} className="text-sky-700 hover:underline">
            ← First page
          </Link>
        ) : null}
        {nextCursor ? (
          <Link href={href({ cursor: nextCursor })} className="text-sky-700 hover:underline">
            Next page →
          </Link>
        ) : null}
      </div>
    </>
  );
}
