"use client";

import { Button } from "@/components/ui/button";
import { FormMessage } from "@/components/ui/form-message";
import { JustificationField, SelectField, TextAreaField, TextField } from "@/components/inventory/fields";
import { useMutationForm, type ServerAction } from "@/components/inventory/use-mutation-form";

// Editing what needs approval and who decides. Each save is itself a change
// that needs approval, so it asks for a justification and usually answers
// "sent for approval".

export function CatalogEntryForm({
  entry,
  rules,
  action,
}: {
  entry: { key: string; label: string; enabled: boolean; ruleKey?: string; maxDays: number | null };
  rules: { key: string; name: string }[];
  action: ServerAction;
}) {
  const form = useMutationForm(action, {
    initial: {
      enabled: entry.enabled ? "true" : "false",
      ruleKey: entry.ruleKey ?? "",
      maxDays: entry.maxDays ? String(entry.maxDays) : "",
    },
  });
  const { state, value } = form;
  return (
    <form key={form.formKey} action={form.formAction} aria-label={`Edit ${entry.label}`} className="flex flex-wrap items-end gap-2">
      <input type="hidden" name="key" value={entry.key} />
      <SelectField
        label="Needs approval"
        name="enabled"
        state={state}
        defaultValue={value("enabled")}
        options={[
          ["true", "Yes"],
          ["false", "No"],
        ]}
      />
      <SelectField
        label="Rule"
        name="ruleKey"
        state={state}
        defaultValue={value("ruleKey")}
        options={rules.map((rule): [string, string] => [rule.key, rule.name])}
      />
      {entry.maxDays !== null ? (
        <TextField label="Limit (days)" name="maxDays" type="number" state={state} defaultValue={value("maxDays")} className="w-28" />
      ) : null}
      <JustificationField state={state} className="w-72" />
      <Button type="submit" variant="secondary" disabled={form.pending}>
        Save
      </Button>
      <FormMessage state={state} />
    </form>
  );
}

export function RuleForm({
  rule,
  action,
}: {
  rule: { key: string; name: string; description: string | null; levels: unknown; expiryHours: number };
  action: ServerAction;
}) {
  const form = useMutationForm(action, {
    initial: {
      name: rule.name,
      description: rule.description ?? "",
      levels: JSON.stringify(rule.levels, null, 2),
      expiryHours: String(rule.expiryHours),
    },
  });
  const { state, value } = form;
  return (
    <form key={form.formKey} action={form.formAction} aria-label={`Edit rule ${rule.name}`} className="space-y-2">
      <input type="hidden" name="ruleKey" value={rule.key} />
      <div className="grid grid-cols-1 gap-2 sm:grid-cols-3">
        <TextField label="Name" name="name" state={state} defaultValue={value("name")} required className="sm:col-span-2" />
        <TextField
          label="Expires after (hours)"
          name="expiryHours"
          type="number"
          state={state}
          defaultValue={value("expiryHours")}
          required
        />
      </div>
      <TextField label="Description" name="description" state={state} defaultValue={value("description")} />
      <TextAreaField
        label="Levels (JSON)"
        name="levels"
        state={state}
        defaultValue={value("levels")}
        rows={8}
        hint='Every level must approve, in order. approvers: {"kind":"role","role":"SECURITY_LEAD"|"ADMIN"|"APPROVER"}, {"kind":"user","userId":"…"}, {"kind":"system_owner"} or {"kind":"identity_owner"}; required: 1–5.'
      />
      <JustificationField state={state} />
      <div className="flex items-center gap-2">
        <Button type="submit" variant="secondary" disabled={form.pending}>
          Save rule
        </Button>
        <FormMessage state={state} />
      </div>
    </form>
  );
}
