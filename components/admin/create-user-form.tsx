"use client";

import { useActionState } from "react";
import { Button } from "@/components/ui/button";
import { FieldError, FormMessage } from "@/components/ui/form-message";
import type { ActionState } from "@/lib/auth/action";
import { ROLE_LABELS } from "@/lib/auth/permissions";
import type { Role } from "@/lib/db/generated/enums";

type Action = (state: ActionState, formData: FormData) => Promise<ActionState>;

const inputClass = "mt-0.5 block w-full rounded border border-slate-300 px-2 py-1 text-sm";

export function CreateUserForm({ action }: { action: Action }) {
  const [state, formAction, pending] = useActionState(action, { status: "idle" });
  return (
    <form action={formAction} className="space-y-2 rounded-md border border-slate-200 bg-white p-3" aria-label="Add a user">
      <h3 className="text-sm font-semibold">Add a user</h3>
      <p className="text-xs text-slate-600">
        People who sign in with SSO are added automatically. Add someone here to give them roles before their first sign-in.
      </p>
      <div className="grid grid-cols-2 gap-2">
        <label className="text-xs font-medium text-slate-700">
          Email
          <input name="email" type="email" required className={inputClass} aria-describedby="email-error" />
          <FieldError state={state} name="email" />
        </label>
        <label className="text-xs font-medium text-slate-700">
          Name
          <input name="name" required className={inputClass} aria-describedby="name-error" />
          <FieldError state={state} name="name" />
        </label>
      </div>
      <fieldset className="flex flex-wrap gap-3 text-sm">
        <legend className="text-xs font-medium text-slate-700">Roles</legend>
        {(Object.keys(ROLE_LABELS) as Role[]).map((role) => (
          <label key={role} className="flex items-center gap-1">
            <input type="checkbox" name="roles" value={role} /> {ROLE_LABELS[role]}
          </label>
        ))}
      </fieldset>
      <FieldError state={state} name="roles" />
      <div className="text-xs">
        <label className="block font-medium text-slate-700">
          Justification
          <input name="justification" className={inputClass} aria-describedby="justification-hint justification-error" />
        </label>
        <p id="justification-hint" className="text-slate-500">
          Required for the admin and security-lead roles, which need approval.
        </p>
        <FieldError state={state} name="justification" />
      </div>
      <div className="flex items-center gap-3">
        <Button type="submit" disabled={pending}>
          Add user
        </Button>
        <FormMessage state={state} />
      </div>
    </form>
  );
}
