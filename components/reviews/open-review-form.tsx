"use client";

import { TextField } from "@/components/inventory/fields";
import { useMutationForm, type ServerAction } from "@/components/inventory/use-mutation-form";
import { Button } from "@/components/ui/button";
import { FormMessage } from "@/components/ui/form-message";
import { DEFAULT_REVIEW_WINDOW_DAYS } from "@/lib/validation/reviews";
import { useReviewFlash } from "./review-flash";

/** Asks the owner to attest now, rather than on the next scheduled review date. */
export function OpenReviewForm({ identityId, action }: { identityId: string; action: ServerAction }) {
  const flash = useReviewFlash();
  const form = useMutationForm(action, { dates: { dueAt: "end" }, onSuccess: (result) => flash(result.message) });
  const { state, value } = form;
  return (
    <form
      key={form.formKey}
      action={form.formAction}
      aria-label="Open a review"
      className="flex flex-wrap items-end gap-2 rounded-md border border-slate-200 bg-white p-3"
    >
      <input type="hidden" name="identityId" value={identityId} />
      <TextField
        label="Due"
        name="dueAt"
        type="date"
        state={state}
        defaultValue={value("dueAt")}
        hint={`Empty: ${DEFAULT_REVIEW_WINDOW_DAYS} days from today`}
      />
      <TextField
        label="Reason"
        name="reason"
        state={state}
        defaultValue={value("reason")}
        hint="Shown to the owner and recorded in the audit log"
        className="w-80"
      />
      <Button type="submit" variant="secondary" disabled={form.pending}>
        Open a review
      </Button>
      <FormMessage state={state} />
    </form>
  );
}
