"use client";

import { useActionState } from "react";
import { SelectField, TextAreaField, TextField } from "@/components/inventory/fields";
import { Button } from "@/components/ui/button";
import { FormMessage } from "@/components/ui/form-message";
import type { ActionState } from "@/lib/auth/action";

type Action = (state: ActionState, formData: FormData) => Promise<ActionState>;

/** For security leads, on a framework of their own: one more requirement, optionally under an existing item. */
export function AddRequirementForm({ action, frameworkId, items }: { action: Action; frameworkId: string; items: [string, string][] }) {
  const [state, formAction, pending] = useActionState(action, { status: "idle" });
  return (
    <form action={formAction} aria-label="Add a requirement" className="mb-4 space-y-2 rounded-md border border-slate-200 bg-white p-3">
      <input type="hidden" name="frameworkId" value={frameworkId} />
      <div className="flex flex-wrap items-end gap-3">
        <TextField label="ID" name="code" state={state} required className="w-36" placeholder="AGT-3" />
        <TextField label="Title" name="title" state={state} required className="w-96" />
        <SelectField label="Under" name="parentCode" state={state} options={items} emptyOption="Top level" className="w-64" />
      </div>
      <TextAreaField label="Statement" name="text" state={state} rows={2} className="max-w-3xl" />
      <div className="flex items-center gap-3">
        <Button type="submit" disabled={pending}>
          Add requirement
        </Button>
        <FormMessage state={state} />
      </div>
    </form>
  );
}
