import Link from "next/link";
import { notFound } from "next/navigation";
import { BurndownChart } from "@/components/campaigns/burndown-chart";
import { CampaignActionForm } from "@/components/campaigns/campaign-forms";
import { CampaignStatusBadge, ProgressBar } from "@/components/campaigns/campaign-parts";
import { LocalTime } from "@/components/local-time";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { PageHeader } from "@/components/ui/page-header";
import { TableFrame, TableHead } from "@/components/ui/table";
import { can } from "@/lib/auth/actor";
import { requirePermission } from "@/lib/auth/session";
import { campaignDetail, REVIEWS_PAGE_SIZE, type GroupProgress, type ReviewState } from "@/lib/campaigns/queries";
import { prisma } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { readPageParams } from "@/lib/validation/page-params";
import { closeCampaignAction, nudgeCampaignAction } from "../actions";

export const metadata = { title: "Campaign" };

const STATE: Record<ReviewState, [BadgeTone, string]> = {
  ATTESTED: ["green", "Attested"],
  PENDING: ["blue", "Pending"],
  OVERDUE: ["red", "Overdue"],
  CANCELLED: ["neutral", "Cancelled"],
};

function Stat({ label, value, tone = "text-slate-900" }: { label: string; value: number; tone?: string }) {
  return (
    <div className="rounded-md border border-slate-200 bg-white px-3 py-2">
      <p className="text-xs text-slate-600">{label}</p>
      <p className={`text-xl font-semibold ${tone}`} data-testid={`campaign-${label.toLowerCase()}`}>
        {value.toLocaleString("en-US")}
      </p>
    </div>
  );
}

function GroupTable({ title, groups, rows }: { title: string; groups: number; rows: GroupProgress[] }) {
  return (
    <section aria-label={title} className="space-y-1">
      <h2 className="text-sm font-semibold text-slate-700">{title}</h2>
      <TableFrame label={title}>
        <TableHead>
          {[title.replace("By ", ""), "Reviews", "Attested", "Pending", "Overdue"].map((label) => (
            <th key={label} scope="col" className="px-3 py-2 font-medium capitalize">
              {label}
            </th>
          ))}
        </TableHead>
        <tbody className="divide-y divide-slate-100">
          {rows.map((row) => (
            <tr key={row.id ?? "none"}>
              <td className="px-3 py-1 text-xs">{row.label}</td>
              <td className="px-3 py-1 text-xs">{row.total}</td>
              <td className="px-3 py-1 text-xs">{row.attested}</td>
              <td className="px-3 py-1 text-xs">{row.pending}</td>
              <td className={`px-3 py-1 text-xs ${row.overdue > 0 ? "font-medium text-red-700" : ""}`}>{row.overdue}</td>
            </tr>
          ))}
        </tbody>
      </TableFrame>
      {groups > rows.length ? (
        <p className="text-xs text-slate-600">
          The {rows.length} with the most overdue of {groups}; the report lists every review.
        </p>
      ) : null}
    </section>
  );
}

type Props = { params: Promise<{ id: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

async function load(id: string, page: number) {
  try {
    return await campaignDetail(prisma, id, page);
  } catch (error) {
    if (error instanceof AppError && error.code === "not_found") notFound();
    throw error;
  }
}

export default async function Page({ params, searchParams }: Props) {
  const actor = await requirePermission("inventory:read");
  const { id } = await readPageParams(params);
  const requested = Number((await searchParams).page ?? 1);
  const page = Number.isInteger(requested) && requested >= 1 && requested <= 10_000 ? requested : 1;
  const campaign = await load(id, page);
  const manage = can(actor, "lifecycle:configure") && campaign.status === "OPEN";
  const { progress } = campaign;
  const pages = Math.max(1, Math.ceil(progress.total / REVIEWS_PAGE_SIZE));
  return (
    <>
      <PageHeader
        title={campaign.name}
        description={`Due ${campaign.dueAt.toISOString().slice(0, 10)} · started by ${campaign.createdBy.name ?? campaign.createdBy.email}${
          campaign.savedViewName ? ` from the view ${campaign.savedViewName}` : ""
        }`}
        actions={
          <>
            <CampaignStatusBadge status={campaign.status} />
            <a href={`/campaigns/${campaign.id}/report.csv`} className="text-sm font-medium text-sky-700 hover:underline" download>
              Report (CSV)
            </a>
            {can(actor, "audit:read") ? (
              <a href={`/campaigns/${campaign.id}/events.csv`} className="text-sm font-medium text-sky-700 hover:underline" download>
                Audit events (CSV)
              </a>
            ) : null}
          </>
        }
      />
      <div className="space-y-5">
        <section aria-label="Progress" className="space-y-2">
          <p className="text-sm whitespace-pre-line text-slate-700">{campaign.message}</p>
          <p className="text-xs text-slate-600">
            Filter:{" "}
            <Link href={campaign.query ? `/inventory?${campaign.query}` : "/inventory"} className="font-mono text-sky-700 hover:underline">
              {campaign.query || "(every identity)"}
            </Link>
            {campaign.closedAt ? (
              <>
                {" "}
                · Closed <LocalTime iso={campaign.closedAt.toISOString()} /> by{" "}
                {campaign.closedBy?.name ?? campaign.closedBy?.email ?? "Warrant"}: the figures are as they stood then; its open reviews are
                still owed.
              </>
            ) : null}
          </p>
          <div className="grid max-w-3xl grid-cols-2 gap-2 sm:grid-cols-5">
            <Stat label="Reviews" value={progress.total} />
            <Stat label="Attested" value={progress.attested} tone="text-emerald-700" />
            <Stat label="Pending" value={progress.pending} />
            <Stat label="Overdue" value={progress.overdue} tone={progress.overdue > 0 ? "text-red-700" : "text-slate-900"} />
            <Stat label="Cancelled" value={progress.cancelled} />
          </div>
          <ProgressBar progress={progress} />
          {manage ? (
            <div className="flex flex-wrap items-center gap-4 pt-1">
              <CampaignActionForm action={nudgeCampaignAction} campaignId={campaign.id} label="Nudge everyone late" />
              <CampaignActionForm
                action={closeCampaignAction}
                campaignId={campaign.id}
                label="Close campaign"
                variant="danger"
                confirm="Close this campaign? Its open reviews stay open and owed; its figures stop changing."
              />
              {campaign.lastNudgedAt ? (
                <span className="text-xs text-slate-600">
                  Last nudged <LocalTime iso={campaign.lastNudgedAt.toISOString()} />
                </span>
              ) : null}
            </div>
          ) : null}
        </section>
        <section aria-label="Burndown" className="max-w-4xl space-y-1">
          <h2 className="text-sm font-semibold text-slate-700">Reviews still open</h2>
          <BurndownChart points={campaign.burndown} title="Reviews still open by day" />
        </section>
        <div className="grid gap-4 lg:grid-cols-2">
          <GroupTable title="By owner" groups={campaign.byOwner.groups} rows={campaign.byOwner.rows} />
          <GroupTable title="By team" groups={campaign.byTeam.groups} rows={campaign.byTeam.rows} />
        </div>
        <section aria-label="Reviews" className="space-y-1">
          <h2 className="text-sm font-semibold text-slate-700">Reviews</h2>
          <TableFrame label="Campaign reviews" empty={campaign.reviews.length === 0 ? "No reviews on this page." : undefined}>
            <TableHead>
              {["Identity", "Environment", "Owner", "Team", "Status", "Outcome", "Attested", "Due"].map((label) => (
                <th key={label} scope="col" className="px-3 py-2 font-medium">
                  {label}
                </th>
              ))}
            </TableHead>
            <tbody className="divide-y divide-slate-100">
              {campaign.reviews.map((review) => (
                <tr key={review.id} data-testid="campaign-review">
                  <td className="px-3 py-1 text-xs">
                    <Link href={`/inventory/${review.identityId}`} className="text-sky-700 hover:underline">
                      {review.identityName}
                    </Link>
                  </td>
                  <td className="px-3 py-1 text-xs">{review.environment}</td>
                  <td className="px-3 py-1 text-xs">{review.ownerLabel}</td>
                  <td className="px-3 py-1 text-xs">{review.teamName ?? "—"}</td>
                  <td className="px-3 py-1 text-xs">
                    <Badge tone={STATE[review.state][0]}>{STATE[review.state][1]}</Badge>
                  </td>
                  <td className="px-3 py-1 text-xs">{review.outcome ?? "—"}</td>
                  <td className="px-3 py-1 text-xs">
                    {review.attestedAt ? (
                      <>
                        {review.attestedBy} · <LocalTime iso={review.attestedAt.toISOString()} />
                      </>
                    ) : (
                      "—"
                    )}
                  </td>
                  <td className="px-3 py-1 text-xs whitespace-nowrap">{review.dueAt.toISOString().slice(0, 10)}</td>
                </tr>
              ))}
            </tbody>
          </TableFrame>
          {pages > 1 ? (
            <nav aria-label="Review pages" className="flex items-center gap-3 text-xs">
              {page > 1 ? (
                <Link href={`/campaigns/${campaign.id}?page=${page - 1}`} className="text-sky-700 hover:underline">
                  Previous
                </Link>
              ) : null}
              <span>
                Page {page} of {pages}
              </span>
              {page < pages ? (
                <Link href={`/campaigns/${campaign.id}?page=${page + 1}`} className="text-sky-700 hover:underline">
                  Next
                </Link>
              ) : null}
            </nav>
          ) : null}
        </section>
      </div>
    </>
  );
}
