import Link from "next/link";
import { StartCampaignForm } from "@/components/campaigns/campaign-forms";
import { PageHeader } from "@/components/ui/page-header";
import { requirePermission } from "@/lib/auth/session";
import { previewCampaign } from "@/lib/campaigns/start";
import { prisma } from "@/lib/db/client";
import { listSavedViews } from "@/lib/inventory/saved-views";
import { DAY_MS } from "@/lib/time";
import { startCampaignAction } from "../actions";

export const metadata = { title: "Start a campaign" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

/** The due date the form suggests: two weeks, the usual window for a review. */
const twoWeeksAfter = (now: Date) => new Date(now.getTime() + 14 * DAY_MS).toISOString().slice(0, 10);

const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

/** Reached from the inventory (`?query=` carries its filters) or a saved view (`?view=<id>`); without either, pick a view. */
export default async function Page({ searchParams }: { searchParams: SearchParams }) {
  const actor = await requirePermission("lifecycle:configure");
  const params = await searchParams;
  const query = first(params.query);
  const view = first(params.view);
  const defaultDue = twoWeeksAfter(new Date());

  if (query === undefined && !view) {
    const views = await listSavedViews(prisma, actor);
    return (
      <>
        <PageHeader
          title="Start a campaign"
          description="Choose the identities: a saved view, or filter the inventory and press Start a campaign there."
        />
        <ul aria-label="Saved views" className="max-w-xl divide-y divide-slate-100 rounded-md border border-slate-200 bg-white">
          {views.map((saved) => (
            <li key={saved.id} className="flex items-center gap-2 px-3 py-1.5 text-sm">
              <Link href={`/campaigns/new?view=${encodeURIComponent(saved.id)}`} className="flex-1 text-sky-700 hover:underline">
                {saved.name}
              </Link>
              {!saved.mine ? <span className="text-xs text-slate-500">by {saved.ownerName}</span> : null}
            </li>
          ))}
          <li className="px-3 py-1.5 text-sm">
            <Link href="/inventory" className="text-sky-700 hover:underline">
              Filter the inventory…
            </Link>
          </li>
        </ul>
      </>
    );
  }

  const preview = await previewCampaign(prisma, actor, view ? { savedViewId: view } : { query });
  const inventoryLink = preview.query ? `/inventory?${preview.query}` : "/inventory";
  return (
    <>
      <PageHeader
        title="Start a campaign"
        description="One review per identity in service (proposed, active or suspended) that matches; identities with an open review join with it. Each owner gets one message."
      />
      <section aria-label="Identities" className="mb-4 max-w-3xl rounded-md border border-slate-200 bg-slate-50 p-3 text-sm">
        <p>
          {preview.savedViewName ? (
            <>
              Saved view <strong>{preview.savedViewName}</strong>:{" "}
            </>
          ) : (
            "Inventory filters: "
          )}
          <Link href={inventoryLink} className="font-mono text-xs text-sky-700 hover:underline">
            {preview.query || "(none: every identity)"}
          </Link>
        </p>
        {preview.error ? (
          <p role="alert" className="mt-1 text-red-700">
            {preview.error}
          </p>
        ) : (
          <p className="mt-1" data-testid="campaign-matches">
            {preview.matches?.toLocaleString("en-US")}{" "}
            {preview.matches === 1 ? "identity in service matches" : "identities in service match"} now.
          </p>
        )}
      </section>
      <StartCampaignForm
        action={startCampaignAction}
        filter={preview.savedViewId ? { savedViewId: preview.savedViewId } : { query: preview.query }}
        defaultDue={defaultDue}
      />
    </>
  );
}
