"use client";

import { useRouter } from "next/navigation";
import { useActionState } from "react";
import { TextAreaField, TextField } from "@/components/inventory/fields";
import { useMutationForm, type ServerAction } from "@/components/inventory/use-mutation-form";
import { Button } from "@/components/ui/button";
import { FieldError, FormMessage } from "@/components/ui/form-message";

/**
 * For security leads: name, due date and message of a campaign over a filter
 * the page already chose (a saved view or the inventory's query string). On
 * success it opens the new campaign's page.
 */
export function StartCampaignForm({
  action,
  filter,
  defaultDue,
}: {
  action: ServerAction;
  filter: { savedViewId: string } | { query: string };
  defaultDue: string;
}) {
  const router = useRouter();
  const { state, formAction, pending, formKey, value } = useMutationForm(action, {
    initial: { dueAt: defaultDue },
    // The due date is the end of the chosen day where the lead is.
    dates: { dueAt: "end" },
    onSuccess: (result) => {
      const id = (result.result as { id?: string } | undefined)?.id;
      if (id) router.push(`/campaigns/${id}`);
    },
  });
  return (
    <form
      key={formKey}
      action={formAction}
      aria-label="Start a campaign"
      className="max-w-3xl space-y-3 rounded-md border border-slate-200 bg-white p-3"
    >
      {"savedViewId" in filter ? (
        <input type="hidden" name="savedViewId" value={filter.savedViewId} />
      ) : (
        <input type="hidden" name="query" value={filter.query} />
      )}
      <div className="flex flex-wrap items-end gap-3">
        <TextField label="Name" name="name" state={state} required maxLength={120} defaultValue={value("name")} className="w-96" />
        <TextField
          label="Due"
          name="dueAt"
          type="date"
          state={state}
          required
          defaultValue={value("dueAt")}
          className="w-44"
          hint="Within 90 days"
        />
      </div>
      <TextAreaField
        label="Message to the owners"
        name="message"
        state={state}
        rows={3}
        required
        defaultValue={value("message")}
        hint="Sent with each owner's notice, e.g. why this review matters now."
      />
      <FieldError state={state} name="query" />
      <FieldError state={state} name="savedViewId" />
      <div className="flex items-center gap-3">
        <Button type="submit" disabled={pending}>
          {pending ? "Starting…" : "Start campaign"}
        </Button>
        <FormMessage state={state} />
      </div>
    </form>
  );
}

/** One button acting on the campaign (nudge, close). */
export function CampaignActionForm({
  action,
  campaignId,
  label,
  variant = "secondary",
  confirm,
}: {
  action: ServerAction;
  campaignId: string;
  label: string;
  variant?: "secondary" | "danger";
  confirm?: string;
}) {
  const [state, formAction, pending] = useActionState(action, { status: "idle" });
  return (
    <form
      action={formAction}
      aria-label={label}
      className="flex items-center gap-2"
      onSubmit={(event) => {
        if (confirm && !window.confirm(confirm)) event.preventDefault();
      }}
    >
      <input type="hidden" name="campaignId" value={campaignId} />
      <Button type="submit" variant={variant} disabled={pending}>
        {label}
      </Button>
      <FormMessage state={state} />
    </form>
  );
}
