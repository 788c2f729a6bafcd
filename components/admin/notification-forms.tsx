"use client";

import { useActionState } from "react";
import { useMutationForm, type ServerAction } from "@/components/inventory/use-mutation-form";
import { Button } from "@/components/ui/button";
import { FieldError, FormMessage } from "@/components/ui/form-message";

const inputClass = "mt-0.5 block w-full rounded border border-slate-300 px-2 py-1 text-sm";

export function CreateWebhookForm({ action }: { action: ServerAction }) {
  const { state, formAction, pending, formKey, value } = useMutationForm(action, { initial: { format: "JSON" } });
  const secret = state.status === "ok" ? (state.result as { secret?: string } | undefined)?.secret : undefined;
  return (
    <form
      key={formKey}
      action={formAction}
      className="space-y-2 rounded-md border border-slate-200 bg-white p-3"
      aria-label="Add a webhook"
    >
      <h3 className="text-sm font-semibold">Add a webhook</h3>
      <div className="grid grid-cols-4 gap-2">
        <label className="text-xs font-medium text-slate-700">
          Name
          <input name="name" required className={inputClass} placeholder="e.g. security channel" defaultValue={value("name")} />
          <FieldError state={state} name="name" />
        </label>
        <label className="col-span-2 text-xs font-medium text-slate-700">
          URL
          <input name="url" required className={inputClass} placeholder="https://hooks.example.com/warrant" defaultValue={value("url")} />
          <FieldError state={state} name="url" />
        </label>
        <label className="text-xs font-medium text-slate-700">
          Format
          <select name="format" className={inputClass} defaultValue={value("format")}>
            <option value="JSON">Warrant JSON (signed)</option>
            <option value="SLACK">Slack-compatible text</option>
          </select>
          <FieldError state={state} name="format" />
        </label>
        <label className="col-span-4 text-xs font-medium text-slate-700">
          Events (comma-separated, e.g. approval.requested, review.*; empty for all)
          <input name="events" className={inputClass} defaultValue={value("events")} />
          <FieldError state={state} name="events" />
        </label>
      </div>
      <div className="flex items-center gap-3">
        <Button type="submit" disabled={pending}>
          Add webhook
        </Button>
        <FormMessage state={state} />
      </div>
      {secret ? (
        <p className="rounded bg-slate-100 p-2 font-mono text-xs break-all" data-testid="new-webhook-secret">
          {secret}
        </p>
      ) : null}
    </form>
  );
}

/** A one-button form that sends a single id (deactivate, delete, retry). */
export function IdActionButton({
  action,
  field,
  id,
  label,
  what,
  variant = "secondary",
}: {
  action: ServerAction;
  field: string;
  id: string;
  label: string;
  /** Names the form for assistive technology, e.g. "Deactivate ops". */
  what: string;
  variant?: "secondary" | "danger";
}) {
  const [state, formAction, pending] = useActionState(action, { status: "idle" });
  return (
    <form action={formAction} className="flex items-center gap-2" aria-label={what}>
      <input type="hidden" name={field} value={id} />
      <Button type="submit" variant={variant} disabled={pending}>
        {label}
      </Button>
      <FormMessage state={state} />
    </form>
  );
}
