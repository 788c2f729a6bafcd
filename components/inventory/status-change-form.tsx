"use client";

import { Button } from "@/components/ui/button";
import { FormMessage } from "@/components/ui/form-message";
import type { ActionState } from "@/lib/auth/action";
import type { StatusChange } from "@/lib/inventory/identity-detail";
import { JustificationField, TextField } from "./fields";
import { useMutationForm, type ServerAction } from "./use-mutation-form";

const BUTTONS: Record<StatusChange, { label: string; variant: "secondary" | "danger" }> = {
  activate: { label: "Activate", variant: "secondary" },
  suspend: { label: "Suspend", variant: "secondary" },
  reactivate: { label: "Reactivate", variant: "secondary" },
  retire: { label: "Retire", variant: "danger" },
};

/** One reason, one button per status change the viewer may make; the pressed button picks the action. */
export function StatusChangeForm({
  identityId,
  changes,
  actions,
}: {
  identityId: string;
  changes: StatusChange[];
  actions: Record<StatusChange, ServerAction>;
}) {
  const form = useMutationForm(async (previous: ActionState, formData: FormData) => {
    const change = formData.get("change") as StatusChange | null;
    formData.delete("change");
    if (!change || !actions[change]) return { status: "error", message: "Choose activate, suspend, reactivate or retire." };
    return actions[change](previous, formData);
  });
  const { state, value } = form;
  return (
    <form
      key={form.formKey}
      action={form.formAction}
      aria-label="Change status"
      className="flex flex-wrap items-end gap-2 rounded-md border border-slate-200 bg-white p-3"
    >
      <input type="hidden" name="identityId" value={identityId} />
      <TextField
        label="Reason"
        name="reason"
        state={state}
        defaultValue={value("reason")}
        hint="Recorded in the audit log"
        className="w-80"
      />
      {changes.includes("reactivate") ? <JustificationField state={state} className="w-80" /> : null}
      {changes.map((change) => (
        <Button key={change} type="submit" name="change" value={change} variant={BUTTONS[change].variant} disabled={form.pending}>
          {BUTTONS[change].label}
        </Button>
      ))}
      <FormMessage state={state} />
      <p className="w-full text-xs text-slate-500">
        Retiring revokes every grant and credential. Nothing is deleted: the record and its history stay.
      </p>
    </form>
  );
}
