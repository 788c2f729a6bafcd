"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { FormMessage } from "@/components/ui/form-message";
import { JustificationField, SelectField, TextAreaField, TextField } from "@/components/inventory/fields";
import { useMutationForm, type ServerAction } from "@/components/inventory/use-mutation-form";

// Registering from a template: pick one, then a name and a purpose. The owner
// is the person registering (security leads and admins may pick another).

export interface TemplateChoice {
  id: string;
  name: string;
  /** One line: what the identity will be and reach. */
  summary: string;
}

export function RegisterFromTemplateForm({
  action,
  templates,
  selected,
  people,
  ownerChoice,
  ownerId,
  ownerLabel,
}: {
  action: ServerAction;
  templates: TemplateChoice[];
  selected: string;
  people: { id: string; label: string }[];
  ownerChoice: boolean;
  ownerId: string;
  ownerLabel: string;
}) {
  const router = useRouter();
  const form = useMutationForm(action, {
    initial: { templateId: selected, name: "", purpose: "", ownerId, backupOwnerId: "" },
    onSuccess: (state) => {
      const id = (state.result as { id?: string } | undefined)?.id;
      if (id) router.push(`/inventory/${id}`);
    },
  });
  const { state, value } = form;
  const [templateId, setTemplateId] = useState(value("templateId"));
  const chosen = templates.find((template) => template.id === templateId);
  const personOptions = people.map((person): [string, string] => [person.id, person.label]);
  return (
    <form
      key={form.formKey}
      action={form.formAction}
      aria-label="Register from a template"
      className="max-w-3xl space-y-3 rounded-md border border-slate-200 bg-white p-4"
      onChange={(event) => {
        const target = event.target;
        if (target instanceof HTMLSelectElement && target.name === "templateId") setTemplateId(target.value);
      }}
    >
      <SelectField
        label="Template"
        name="templateId"
        state={state}
        defaultValue={value("templateId")}
        options={templates.map((template): [string, string] => [template.id, template.name])}
        emptyOption="Choose…"
        required
      />
      {chosen ? (
        <p className="text-xs text-slate-600" data-testid="template-summary">
          {chosen.summary}
        </p>
      ) : null}
      <div className="grid grid-cols-1 gap-3 sm:grid-cols-2">
        <TextField label="Name" name="name" state={state} defaultValue={value("name")} required hint="Unique within its environment" />
        {ownerChoice ? (
          <SelectField label="Owner" name="ownerId" state={state} defaultValue={value("ownerId")} options={personOptions} required />
        ) : (
          <div className="text-xs">
            <span className="font-medium text-slate-700">Owner</span>
            <p className="mt-1 text-sm">{ownerLabel}</p>
          </div>
        )}
        <TextAreaField label="Purpose" name="purpose" state={state} defaultValue={value("purpose")} required className="sm:col-span-2" />
        <SelectField
          label="Backup owner"
          name="backupOwnerId"
          state={state}
          defaultValue={value("backupOwnerId")}
          options={personOptions}
          emptyOption="None"
        />
      </div>
      <JustificationField state={state} className="max-w-xl" />
      <div className="flex items-center gap-3">
        <Button type="submit" disabled={form.pending}>
          Register from template
        </Button>
        <FormMessage state={state} />
      </div>
    </form>
  );
}
