"use client";

import { useActionState } from "react";
import { Button } from "@/components/ui/button";
import { FieldError, FormMessage } from "@/components/ui/form-message";
import type { ActionState } from "@/lib/auth/action";
import { ROLE_LABELS } from "@/lib/auth/permissions";
import type { Role } from "@/lib/db/generated/enums";

type Action = (state: ActionState, formData: FormData) => Promise<ActionState>;

export function UserRoleForm({ userId, email, roles, action }: { userId: string; email: string; roles: Role[]; action: Action }) {
  const [state, formAction, pending] = useActionState(action, { status: "idle" });
  return (
    <form action={formAction} className="flex flex-wrap items-center gap-2" aria-label={`Roles for ${email}`}>
      <input type="hidden" name="userId" value={userId} />
      {(Object.keys(ROLE_LABELS) as Role[]).map((role) => (
        <label key={role} className="flex items-center gap-1 text-xs">
          <input type="checkbox" name="roles" value={role} defaultChecked={roles.includes(role)} /> {ROLE_LABELS[role]}
        </label>
      ))}
      <input
        name="justification"
        aria-label={`Justification for ${email}'s roles`}
        placeholder="Justification (admin, security lead)"
        className="w-56 rounded border border-slate-300 px-2 py-0.5 text-xs"
      />
      <FieldError state={state} name="justification" />
      <Button type="submit" variant="secondary" disabled={pending}>
        Save roles
      </Button>
      <FormMessage state={state} />
    </form>
  );
}

export function UserActiveToggle({
  userId,
  email,
  active,
  deactivate,
  reactivate,
}: {
  userId: string;
  email: string;
  active: boolean;
  deactivate: Action;
  reactivate: Action;
}) {
  const [state, formAction, pending] = useActionState(active ? deactivate : reactivate, { status: "idle" });
  return (
    <form action={formAction} className="flex items-center gap-2" aria-label={`${active ? "Deactivate" : "Reactivate"} ${email}`}>
      <input type="hidden" name="userId" value={userId} />
      <Button type="submit" variant={active ? "danger" : "secondary"} disabled={pending}>
        {active ? "Deactivate" : "Reactivate"}
      </Button>
      <FormMessage state={state} />
    </form>
  );
}
