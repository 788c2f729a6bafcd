"use client";

import { Button } from "@/components/ui/button";
import { FormMessage } from "@/components/ui/form-message";
import { TextField } from "@/components/inventory/fields";
import { useMutationForm, type ServerAction } from "@/components/inventory/use-mutation-form";
import { LIFECYCLE_FIELDS } from "./settings-fields";

// The lifecycle's numbers (lib/lifecycle/settings.ts), for security leads.
// Every field is sent each time: the settings are one document.

export function LifecycleSettingsForm({ values, action }: { values: Record<string, number>; action: ServerAction }) {
  const initial = Object.fromEntries(Object.entries(values).map(([key, value]) => [key, String(value)]));
  const form = useMutationForm(action, { initial });
  const { state, value } = form;
  return (
    <form
      key={form.formKey}
      action={form.formAction}
      aria-label="Lifecycle settings"
      className="max-w-3xl space-y-3 rounded-md border border-slate-200 bg-white p-4"
    >
      <div className="grid grid-cols-1 gap-3 sm:grid-cols-2">
        {LIFECYCLE_FIELDS.map(([name, label, hint]) => (
          <TextField
            key={name}
            label={label}
            name={name}
            type="number"
            state={state}
            defaultValue={value(name)}
            required
            hint={hint || undefined}
          />
        ))}
      </div>
      <div className="flex items-center gap-3">
        <Button type="submit" disabled={form.pending}>
          Save settings
        </Button>
        <FormMessage state={state} />
      </div>
    </form>
  );
}
