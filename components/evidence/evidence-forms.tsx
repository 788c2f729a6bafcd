"use client";

import { useRouter } from "next/navigation";
import { useActionState, useEffect } from "react";
import { SelectField, TextField } from "@/components/inventory/fields";
import { Button } from "@/components/ui/button";
import { FieldError, FormMessage } from "@/components/ui/form-message";
import type { ActionState } from "@/lib/auth/action";

type Action = (state: ActionState, formData: FormData) => Promise<ActionState>;

/** Auditors and security leads: a period, the frameworks and optionally a team; a background job builds the package. */
export function RequestPackageForm({
  action,
  defaults,
  frameworks,
  teams,
}: {
  action: Action;
  defaults: { from: string; to: string; frameworks: string[] };
  frameworks: [string, string][];
  teams: [string, string][];
}) {
  const [state, formAction, pending] = useActionState(action, { status: "idle" });
  return (
    <form action={formAction} aria-label="Build an evidence package" className="space-y-3 rounded-md border border-slate-200 bg-white p-3">
      <div className="flex flex-wrap items-end gap-3">
        <TextField label="From" name="from" type="date" state={state} required defaultValue={defaults.from} className="w-44" />
        <TextField label="To (not included)" name="to" type="date" state={state} required defaultValue={defaults.to} className="w-44" />
        <SelectField label="Scope" name="teamId" state={state} options={teams} emptyOption="The whole inventory" className="w-64" />
      </div>
      <fieldset>
        <legend className="text-sm font-medium text-slate-700">Frameworks</legend>
        <div className="mt-1 flex flex-wrap gap-x-4 gap-y-1">
          {frameworks.map(([id, name]) => (
            <label key={id} className="flex items-center gap-1.5 text-sm">
              <input type="checkbox" name="frameworks" value={id} defaultChecked={defaults.frameworks.includes(id)} />
              {name}
            </label>
          ))}
        </div>
        <FieldError state={state} name="frameworks" />
      </fieldset>
      <div className="flex items-center gap-3">
        <Button type="submit" disabled={pending}>
          Build package
        </Button>
        <FormMessage state={state} />
      </div>
    </form>
  );
}

/** Reloads the list every two seconds while a package is being built, so its progress moves. */
export function RefreshWhileBuilding({ building }: { building: boolean }) {
  const router = useRouter();
  useEffect(() => {
    if (!building) return;
    const timer = setInterval(() => router.refresh(), 2000);
    return () => clearInterval(timer);
  }, [building, router]);
  return null;
}
