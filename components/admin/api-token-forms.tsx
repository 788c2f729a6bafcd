"use client";

import { useActionState } from "react";
import { Button } from "@/components/ui/button";
import { FieldError, FormMessage } from "@/components/ui/form-message";
import type { ActionState } from "@/lib/auth/action";

type Action = (state: ActionState, formData: FormData) => Promise<ActionState>;

const inputClass = "mt-0.5 block w-full rounded border border-slate-300 px-2 py-1 text-sm";

export function CreateApiTokenForm({ action }: { action: Action }) {
  const [state, formAction, pending] = useActionState(action, { status: "idle" });
  const secret = state.status === "ok" ? (state.result as { secret?: string } | undefined)?.secret : undefined;
  return (
    <form action={formAction} className="space-y-2 rounded-md border border-slate-200 bg-white p-3" aria-label="Create an API token">
      <h3 className="text-sm font-semibold">Create an API token</h3>
      <div className="grid grid-cols-3 gap-2">
        <label className="text-xs font-medium text-slate-700">
          Name
          <input name="name" required className={inputClass} placeholder="e.g. inventory sync" />
          <FieldError state={state} name="name" />
        </label>
        <label className="text-xs font-medium text-slate-700">
          Expires in (days)
          <input name="expiresInDays" type="number" min={1} max={365} defaultValue={90} required className={inputClass} />
          <FieldError state={state} name="expiresInDays" />
        </label>
        <fieldset className="text-xs font-medium text-slate-700">
          <legend>Scopes</legend>
          <div className="mt-1 flex gap-3 font-normal">
            {["READ", "WRITE", "AGENT"].map((scope) => (
              <label key={scope} className="flex items-center gap-1">
                <input type="checkbox" name="scopes" value={scope} defaultChecked={scope === "READ"} /> {scope.toLowerCase()}
              </label>
            ))}
          </div>
          <FieldError state={state} name="scopes" />
        </fieldset>
      </div>
      <div className="flex items-center gap-3">
        <Button type="submit" disabled={pending}>
          Create token
        </Button>
        <FormMessage state={state} />
      </div>
      {secret ? (
        <p className="rounded bg-slate-100 p-2 font-mono text-xs break-all" data-testid="new-token-secret">
          {secret}
        </p>
      ) : null}
    </form>
  );
}

export function RevokeApiTokenButton({ tokenId, name, action }: { tokenId: string; name: string; action: Action }) {
  const [state, formAction, pending] = useActionState(action, { status: "idle" });
  return (
    <form action={formAction} className="flex items-center gap-2" aria-label={`Revoke ${name}`}>
      <input type="hidden" name="tokenId" value={tokenId} />
      <Button type="submit" variant="danger" disabled={pending}>
        Revoke
      </Button>
      <FormMessage state={state} />
    </form>
  );
}
