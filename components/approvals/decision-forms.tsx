"use client";

import { Button } from "@/components/ui/button";
import { FormMessage } from "@/components/ui/form-message";
import { TextAreaField } from "@/components/inventory/fields";
import { useMutationForm, type ServerAction } from "@/components/inventory/use-mutation-form";

/** Approve or reject, with a comment (required to reject). */
export function DecideForm({ requestId, action }: { requestId: string; action: ServerAction }) {
  const form = useMutationForm(action);
  const { state } = form;
  return (
    <form
      key={form.formKey}
      action={form.formAction}
      aria-label="Decide this request"
      className="space-y-2 rounded-md border border-slate-200 bg-white p-3"
    >
      <h2 className="text-sm font-semibold">Your decision</h2>
      <input type="hidden" name="requestId" value={requestId} />
      <TextAreaField
        label="Comment"
        name="comment"
        state={state}
        defaultValue={form.value("comment")}
        hint="Required to reject: the requester reads it"
      />
      <div className="flex items-center gap-2">
        <Button type="submit" name="verdict" value="APPROVE" disabled={form.pending}>
          Approve
        </Button>
        <Button type="submit" name="verdict" value="REJECT" variant="danger" disabled={form.pending}>
          Reject
        </Button>
        <FormMessage state={state} />
      </div>
    </form>
  );
}

export function WithdrawForm({ requestId, action }: { requestId: string; action: ServerAction }) {
  const form = useMutationForm(action);
  return (
    <form key={form.formKey} action={form.formAction} aria-label="Withdraw this request" className="flex items-center gap-2">
      <input type="hidden" name="requestId" value={requestId} />
      <Button type="submit" variant="secondary" disabled={form.pending}>
        Withdraw request
      </Button>
      <FormMessage state={form.state} />
    </form>
  );
}

/** Admins only: apply now, with the reason on record. */
export function BreakGlassForm({ requestId, action }: { requestId: string; action: ServerAction }) {
  const form = useMutationForm(action);
  const { state } = form;
  return (
    <form
      key={form.formKey}
      action={form.formAction}
      aria-label="Break glass"
      className="space-y-2 rounded-md border border-red-200 bg-red-50/40 p-3"
    >
      <h2 className="text-sm font-semibold text-red-800">Break glass</h2>
      <p className="text-xs text-slate-600">
        Apply the change now without approval, for an emergency. It is marked, every security lead is told, and a review of the identity
        opens.
      </p>
      <input type="hidden" name="requestId" value={requestId} />
      <TextAreaField label="Reason" name="reason" state={state} defaultValue={form.value("reason")} required rows={2} />
      <div className="flex items-center gap-2">
        <Button type="submit" variant="danger" disabled={form.pending}>
          Apply now (break-glass)
        </Button>
        <FormMessage state={state} />
      </div>
    </form>
  );
}
