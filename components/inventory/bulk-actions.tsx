"use client";

import { useState } from "react";
import { PersonPicker } from "@/components/person-picker";
import { Button } from "@/components/ui/button";
import { DEFAULT_REVIEW_WINDOW_DAYS } from "@/lib/validation/reviews";
import { localDayToIso } from "./use-mutation-form";

/**
 * Actions on the selected rows. Every change goes through one all-or-nothing
 * server action (bulkUpdateIdentities); the export is a link to the CSV route
 * with the selected ids.
 */
export function BulkActions({
  selectedIds,
  canWrite,
  formAction,
  pending,
  exportHref,
}: {
  selectedIds: string[];
  canWrite: boolean;
  formAction: (formData: FormData) => void;
  pending: boolean;
  exportHref: string;
}) {
  const [confirming, setConfirming] = useState<"suspend" | "open_review" | null>(null);
  // The due date means the end of that day where the reviewer is.
  const openReviewAction = (formData: FormData) => {
    const due = formData.get("dueAt");
    if (typeof due === "string" && due) formData.set("dueAt", localDayToIso(due, "end"));
    formAction(formData);
  };
  const ids = selectedIds.map((id) => <input key={id} type="hidden" name="identityIds" value={id} />);
  const count = `${selectedIds.length} ${selectedIds.length === 1 ? "identity" : "identities"}`;

  return (
    <>
      {canWrite ? (
        <form action={formAction} aria-label="Assign an owner to the selected identities" className="flex items-center gap-2">
          <input type="hidden" name="action" value="assign_owner" />
          {ids}
          <PersonPicker name="ownerId" label="New owner" assignable required className="w-64" />
          <Button type="submit" variant="secondary" disabled={pending}>
            Assign owner
          </Button>
        </form>
      ) : null}
      {canWrite ? (
        confirming === "open_review" ? (
          <form
            action={openReviewAction}
            aria-label="Open a review of the selected identities"
            className="flex flex-wrap items-center gap-2"
          >
            <input type="hidden" name="action" value="open_review" />
            {ids}
            <label className="flex items-center gap-1 text-xs text-slate-700">
              Due
              <input
                type="date"
                name="dueAt"
                className="rounded border border-slate-300 px-1.5 py-0.5 text-sm"
                aria-describedby="bulk-review-due-hint"
              />
            </label>
            <span id="bulk-review-due-hint" className="sr-only">
              Leave empty for {DEFAULT_REVIEW_WINDOW_DAYS} days from today
            </span>
            <label className="flex items-center gap-1 text-xs text-slate-700">
              Reason
              <input
                type="text"
                name="reason"
                maxLength={500}
                className="w-56 rounded border border-slate-300 px-1.5 py-0.5 text-sm"
                placeholder="e.g. quarterly access review"
              />
            </label>
            <Button type="submit" disabled={pending}>
              Open review of {count}
            </Button>
            <Button type="button" variant="secondary" onClick={() => setConfirming(null)}>
              Cancel
            </Button>
          </form>
        ) : (
          <Button type="button" variant="secondary" onClick={() => setConfirming("open_review")}>
            Open a review…
          </Button>
        )
      ) : null}
      {canWrite ? (
        confirming === "suspend" ? (
          <form action={formAction} aria-label="Suspend the selected identities" className="flex items-center gap-2">
            <input type="hidden" name="action" value="suspend" />
            {ids}
            <span className="text-xs text-slate-700">Suspend {count}?</span>
            <Button type="submit" variant="danger" disabled={pending}>
              Confirm suspend
            </Button>
            <Button type="button" variant="secondary" onClick={() => setConfirming(null)}>
              Cancel
            </Button>
          </form>
        ) : (
          <Button type="button" variant="danger" onClick={() => setConfirming("suspend")}>
            Suspend…
          </Button>
        )
      ) : null}
      <a href={exportHref} download className="text-sm text-sky-700 hover:underline">
        Export selected (CSV)
      </a>
    </>
  );
}
