"use client";

import { useActionState } from "react";
import { TextField } from "@/components/inventory/fields";
import { Button } from "@/components/ui/button";
import { FormMessage } from "@/components/ui/form-message";
import type { ActionState } from "@/lib/auth/action";

type Action = (state: ActionState, formData: FormData) => Promise<ActionState>;

/** For security leads: a framework of the organisation's own, from an OSCAL catalog file. */
export function ImportFrameworkForm({ action }: { action: Action }) {
  const [state, formAction, pending] = useActionState(action, { status: "idle" });
  return (
    <form
      action={formAction}
      aria-label="Add a framework from an OSCAL catalog"
      className="space-y-2 rounded-md border border-slate-200 bg-white p-3"
    >
      <div className="flex flex-wrap items-end gap-3">
        <TextField label="OSCAL catalog (JSON)" name="file" type="file" accept=".json,application/json" state={state} required />
        <TextField
          label="Key"
          name="key"
          state={state}
          hint="Optional: made from the catalog's title"
          placeholder="acme-ai-standard"
          className="w-64"
        />
      </div>
      <div className="flex items-center gap-3">
        <Button type="submit" disabled={pending}>
          Add framework
        </Button>
        <FormMessage state={state} />
      </div>
    </form>
  );
}
