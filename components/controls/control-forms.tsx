"use client";

import { useActionState } from "react";
import { SelectField, TextAreaField, TextField } from "@/components/inventory/fields";
import { Button } from "@/components/ui/button";
import { FormMessage } from "@/components/ui/form-message";
import type { ActionState } from "@/lib/auth/action";

type Action = (state: ActionState, formData: FormData) => Promise<ActionState>;

/** For security leads: run every control now instead of waiting for the daily run. */
export function RunControlsForm({ action }: { action: Action }) {
  const [state, formAction, pending] = useActionState(action, { status: "idle" });
  return (
    <form action={formAction} aria-label="Run the controls" className="flex items-center gap-3">
      <Button type="submit" disabled={pending}>
        {pending ? "Running…" : "Run controls now"}
      </Button>
      <FormMessage state={state} />
    </form>
  );
}

/**
 * For security leads: accept one failing object for this control until a date. A second security lead
 * approves it before it counts (the reason is the request's justification).
 */
export function AddExceptionForm({ action, controlKey, objects }: { action: Action; controlKey: string; objects: [string, string][] }) {
  const [state, formAction, pending] = useActionState(action, { status: "idle" });
  return (
    <form action={formAction} aria-label="Accept a failing object" className="space-y-2 rounded-md border border-slate-200 bg-white p-3">
      <input type="hidden" name="controlKey" value={controlKey} />
      <div className="flex flex-wrap items-end gap-3">
        <SelectField label="Failing object" name="object" state={state} options={objects} required className="w-96" />
        <TextField label="Until" name="expiresAt" type="date" state={state} required className="w-44" hint="At most a year ahead" />
      </div>
      <TextAreaField label="Reason" name="reason" state={state} rows={2} required className="max-w-3xl" />
      <div className="flex items-center gap-3">
        <Button type="submit" disabled={pending}>
          Ask to accept
        </Button>
        <FormMessage state={state} />
      </div>
    </form>
  );
}

export function RevokeExceptionForm({ action, exceptionId, label }: { action: Action; exceptionId: string; label: string }) {
  const [state, formAction, pending] = useActionState(action, { status: "idle" });
  return (
    <form action={formAction} aria-label={`Revoke the exception for ${label}`} className="flex items-center gap-2">
      <input type="hidden" name="exceptionId" value={exceptionId} />
      <Button type="submit" variant="danger" disabled={pending}>
        Revoke
      </Button>
      <FormMessage state={state} />
    </form>
  );
}

/** For security leads: map this control to a requirement, typically one of their own framework's. */
export function MapControlForm({
  action,
  controlKey,
  requirements,
}: {
  action: Action;
  controlKey: string;
  requirements: [string, string][];
}) {
  const [state, formAction, pending] = useActionState(action, { status: "idle" });
  return (
    <form action={formAction} aria-label="Map to a requirement" className="space-y-2 rounded-md border border-slate-200 bg-white p-3">
      <input type="hidden" name="controlKey" value={controlKey} />
      <div className="flex flex-wrap items-end gap-3">
        <SelectField label="Requirement" name="requirementId" state={state} options={requirements} required className="w-[32rem]" />
        <TextField label="Alias" name="alias" state={state} className="w-40" hint="Optional: another name for it" />
      </div>
      <div className="flex items-center gap-3">
        <Button type="submit" disabled={pending}>
          Add mapping
        </Button>
        <FormMessage state={state} />
      </div>
    </form>
  );
}
