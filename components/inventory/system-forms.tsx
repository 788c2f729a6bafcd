"use client";

import { Button } from "@/components/ui/button";
import { FormMessage } from "@/components/ui/form-message";
import { ENVIRONMENT_LABELS, SENSITIVITY_LABELS, SYSTEM_KIND_LABELS, optionsOf } from "@/lib/inventory/labels";
import { JustificationField, SelectField, TextField } from "./fields";
import { useMutationForm, type ServerAction } from "./use-mutation-form";

export interface SystemFormValues {
  name: string;
  kind: string;
  environment: string;
  sensitivity: string;
  description: string;
}

function SystemFields({ form }: { form: ReturnType<typeof useMutationForm> }) {
  const { state, value } = form;
  return (
    <div className="grid grid-cols-1 gap-2 sm:grid-cols-5">
      <TextField
        label="Name"
        name="name"
        state={state}
        defaultValue={value("name")}
        required
        hint="e.g. github.com/acme/web"
        className="sm:col-span-2"
      />
      <SelectField
        label="Kind"
        name="kind"
        state={state}
        defaultValue={value("kind")}
        options={optionsOf(SYSTEM_KIND_LABELS)}
        emptyOption="Choose…"
        required
      />
      <SelectField
        label="Environment"
        name="environment"
        state={state}
        defaultValue={value("environment")}
        options={optionsOf(ENVIRONMENT_LABELS)}
        emptyOption="Choose…"
        required
      />
      <SelectField
        label="Sensitivity"
        name="sensitivity"
        state={state}
        defaultValue={value("sensitivity")}
        options={optionsOf(SENSITIVITY_LABELS)}
        emptyOption="Choose…"
        required
      />
      <TextField label="Description" name="description" state={state} defaultValue={value("description")} className="sm:col-span-5" />
    </div>
  );
}

export function RegisterSystemForm({ action }: { action: ServerAction }) {
  const form = useMutationForm(action);
  return (
    <form
      key={form.formKey}
      action={form.formAction}
      aria-label="Register a system"
      className="space-y-2 rounded-md border border-slate-200 bg-white p-3"
    >
      <h2 className="text-sm font-semibold">Register a system</h2>
      <p className="text-xs text-slate-600">
        Anything an identity can reach. Sensitivity and environment drive every reaching identity&apos;s risk. Unless you are a security
        lead or an admin, the sensitivity you choose is a proposal: the system counts as restricted until a security lead confirms it.
      </p>
      <SystemFields form={form} />
      <div className="flex items-center gap-3">
        <Button type="submit" disabled={form.pending}>
          Register system
        </Button>
        <FormMessage state={form.state} />
      </div>
    </form>
  );
}

/** For security leads and admins: a change re-rates every identity that reaches the system. */
export function EditSystemForm({ systemId, initial, action }: { systemId: string; initial: SystemFormValues; action: ServerAction }) {
  const form = useMutationForm(action, { initial: { ...initial, systemId }, onlyChanged: true, always: ["systemId"] });
  return (
    <form
      key={form.formKey}
      action={form.formAction}
      aria-label={`Edit ${initial.name} (${initial.environment.toLowerCase()})`}
      className="space-y-2 py-2"
    >
      <input type="hidden" name="systemId" value={systemId} />
      <SystemFields form={form} />
      <JustificationField state={form.state} className="max-w-xl" />
      <div className="flex items-center gap-3">
        <Button type="submit" variant="secondary" disabled={form.pending}>
          Save system
        </Button>
        <FormMessage state={form.state} />
      </div>
    </form>
  );
}

/** For security leads and admins: decide the sensitivity a registrant proposed (theirs by default). */
export function ConfirmSensitivityForm({
  systemId,
  name,
  proposed,
  action,
}: {
  systemId: string;
  name: string;
  proposed: string;
  action: ServerAction;
}) {
  const form = useMutationForm(action, { initial: { sensitivity: proposed } });
  return (
    <form
      key={form.formKey}
      action={form.formAction}
      aria-label={`Confirm the sensitivity of ${name}`}
      className="flex flex-wrap items-end gap-2 py-1"
    >
      <input type="hidden" name="systemId" value={systemId} />
      <SelectField
        label="Sensitivity"
        name="sensitivity"
        state={form.state}
        defaultValue={form.value("sensitivity")}
        options={optionsOf(SENSITIVITY_LABELS)}
        required
      />
      <Button type="submit" variant="secondary" disabled={form.pending}>
        Confirm
      </Button>
      <FormMessage state={form.state} />
    </form>
  );
}
