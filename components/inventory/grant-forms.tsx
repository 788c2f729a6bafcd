"use client";

import { Button } from "@/components/ui/button";
import { FormMessage } from "@/components/ui/form-message";
import { GRANT_MODE_LABELS, PERMISSION_LABELS, optionsOf } from "@/lib/inventory/labels";
import { JustificationField, SelectField, TextField } from "./fields";
import { useMutationForm, type ServerAction } from "./use-mutation-form";

export function AddGrantForm({
  identityId,
  systems,
  action,
}: {
  identityId: string;
  systems: { id: string; label: string }[];
  action: ServerAction;
}) {
  const form = useMutationForm(action, { initial: { mode: "STANDING" }, dates: { expiresAt: "end" } });
  const { state, value } = form;
  return (
    <form
      key={form.formKey}
      action={form.formAction}
      aria-label="Add a grant"
      className="space-y-2 rounded-md border border-slate-200 bg-white p-3"
    >
      <h3 className="text-sm font-semibold">Add a grant</h3>
      <p className="text-xs text-slate-600">Read, write, deploy and admin are separate grants: one never implies another.</p>
      <input type="hidden" name="identityId" value={identityId} />
      <div className="grid grid-cols-1 gap-2 sm:grid-cols-5">
        <SelectField
          label="System"
          name="systemId"
          state={state}
          defaultValue={value("systemId")}
          options={systems.map((system): [string, string] => [system.id, system.label])}
          emptyOption="Choose…"
          required
          className="sm:col-span-2"
        />
        <SelectField
          label="Permission"
          name="permission"
          state={state}
          defaultValue={value("permission")}
          options={optionsOf(PERMISSION_LABELS)}
          emptyOption="Choose…"
          required
        />
        <SelectField label="Mode" name="mode" state={state} defaultValue={value("mode")} options={optionsOf(GRANT_MODE_LABELS)} />
        <TextField
          label="Grant expires"
          name="expiresAt"
          type="date"
          state={state}
          defaultValue={value("expiresAt")}
          hint="Required for just-in-time"
        />
      </div>
      <JustificationField state={state} />
      <div className="flex items-center gap-3">
        <Button type="submit" disabled={form.pending}>
          Add grant
        </Button>
        <FormMessage state={state} />
      </div>
    </form>
  );
}

export function RevokeGrantButton({ grantId, description, action }: { grantId: string; description: string; action: ServerAction }) {
  const form = useMutationForm(action);
  return (
    <form key={form.formKey} action={form.formAction} aria-label={`Revoke ${description}`} className="flex items-center gap-2">
      <input type="hidden" name="grantId" value={grantId} />
      <Button type="submit" variant="danger" disabled={form.pending}>
        Revoke
      </Button>
      {form.state.status === "error" ? <FormMessage state={form.state} /> : null}
    </form>
  );
}
