"use client";

import Link from "next/link";
import { useSearchParams } from "next/navigation";
import { useActionState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { FieldError, FormMessage } from "@/components/ui/form-message";
import type { ActionState } from "@/lib/auth/action";
import type { SavedViewListItem } from "@/lib/inventory/saved-views";

type Action = (state: ActionState, formData: FormData) => Promise<ActionState>;

/** Saved views: each one is a link to its query; the current view can be saved under a name. */
export function SavedViewsMenu({
  views,
  canSave,
  canShare,
  createAction,
  deleteAction,
  canStartCampaign = false,
}: {
  views: SavedViewListItem[];
  canSave: boolean;
  canShare: boolean;
  /** Security leads: each view offers to start a review campaign over it. */
  canStartCampaign?: boolean;
  createAction: Action;
  deleteAction: Action;
}) {
  const searchParams = useSearchParams();
  const [saveState, saveFormAction, saving] = useActionState(createAction, { status: "idle" });
  const [deleteState, deleteFormAction, deleting] = useActionState(deleteAction, { status: "idle" });

  return (
    <details className="relative text-sm">
      <summary className="cursor-pointer list-none rounded bg-white px-2.5 py-1 font-medium text-slate-800 ring-1 ring-inset ring-slate-300 hover:bg-slate-50">
        Saved views ({views.length})
      </summary>
      <div className="absolute right-0 z-20 mt-1 w-96 space-y-3 rounded-md border border-slate-200 bg-white p-3 shadow-md">
        {views.length === 0 ? (
          <p className="text-xs text-slate-600">No saved views yet.</p>
        ) : (
          <ul aria-label="Saved views" className="divide-y divide-slate-100">
            {views.map((view) => (
              <li key={view.id} className="flex items-center gap-2 py-1">
                <Link
                  href={view.query ? `/inventory?${view.query}` : "/inventory"}
                  className="min-w-0 flex-1 truncate text-sky-700 hover:underline"
                >
                  {view.name}
                </Link>
                {view.shared ? <Badge tone="violet">Shared</Badge> : null}
                {canStartCampaign ? (
                  <Link
                    href={`/campaigns/new?view=${encodeURIComponent(view.id)}`}
                    aria-label={`Start a campaign over ${view.name}`}
                    className="text-xs text-sky-700 hover:underline"
                  >
                    Campaign
                  </Link>
                ) : null}
                {!view.mine ? <span className="text-xs text-slate-500">by {view.ownerName}</span> : null}
                {view.deletable ? (
                  <form action={deleteFormAction} aria-label={`Delete view ${view.name}`}>
                    <input type="hidden" name="savedViewId" value={view.id} />
                    <button type="submit" disabled={deleting} className="text-xs text-red-700 hover:underline disabled:text-red-300">
                      Delete
                    </button>
                  </form>
                ) : null}
              </li>
            ))}
          </ul>
        )}
        <FormMessage state={deleteState} />
        {canSave ? (
          <form action={saveFormAction} aria-label="Save the current view" className="space-y-2 border-t border-slate-200 pt-2">
            <input type="hidden" name="query" value={searchParams.toString()} />
            <label className="block text-xs font-medium text-slate-700">
              Name of this view
              <input
                name="name"
                required
                maxLength={80}
                className="mt-0.5 block w-full rounded border border-slate-300 px-2 py-1 text-sm"
                aria-describedby="name-error"
              />
              <FieldError state={saveState} name="name" />
            </label>
            {canShare ? (
              <label className="flex items-center gap-1.5 text-xs">
                <input type="checkbox" name="shared" value="1" /> Share with everyone
              </label>
            ) : null}
            <FieldError state={saveState} name="shared" />
            <FieldError state={saveState} name="query" />
            <div className="flex items-center gap-3">
              <Button type="submit" disabled={saving}>
                Save view
              </Button>
              <FormMessage state={saveState} />
            </div>
          </form>
        ) : null}
      </div>
    </details>
  );
}
