"use client";

import { Button } from "@/components/ui/button";
import { FormMessage } from "@/components/ui/form-message";
import { CREDENTIAL_TYPE_LABELS, optionsOf } from "@/lib/inventory/labels";
import { JustificationField, SelectField, TextField } from "./fields";
import { useMutationForm, type ServerAction } from "./use-mutation-form";

// Credentials are recorded as metadata and a fingerprint. The server refuses
// anything secret-shaped with the field named; the form then drops that value
// instead of showing it again.

const SECRET_HINT = "Never the secret itself: a hash such as SHA256:…, a key id or a token prefix.";

export function AddCredentialForm({ identityId, action }: { identityId: string; action: ServerAction }) {
  const form = useMutationForm(action, { dates: { issuedAt: "start", expiresAt: "end", lastUsedAt: "start" } });
  const { state, value } = form;
  return (
    <form
      key={form.formKey}
      action={form.formAction}
      aria-label="Record a credential"
      className="space-y-2 rounded-md border border-slate-200 bg-white p-3"
    >
      <h3 className="text-sm font-semibold">Record a credential</h3>
      <input type="hidden" name="identityId" value={identityId} />
      <div className="grid grid-cols-1 gap-2 sm:grid-cols-4">
        <SelectField
          label="Type"
          name="type"
          state={state}
          defaultValue={value("type")}
          options={optionsOf(CREDENTIAL_TYPE_LABELS)}
          emptyOption="Choose…"
          required
        />
        <TextField
          label="Label"
          name="label"
          state={state}
          defaultValue={value("label")}
          required
          hint="What people call it, e.g. release PAT"
        />
        <TextField
          label="Fingerprint"
          name="fingerprint"
          state={state}
          defaultValue={value("fingerprint")}
          required
          hint={SECRET_HINT}
          className="sm:col-span-2"
        />
        <TextField label="Issued" name="issuedAt" type="date" state={state} defaultValue={value("issuedAt")} required />
        <TextField
          label="Expires"
          name="expiresAt"
          type="date"
          state={state}
          defaultValue={value("expiresAt")}
          hint="Empty means it never expires (long-lived)"
        />
        <TextField label="Last used" name="lastUsedAt" type="date" state={state} defaultValue={value("lastUsedAt")} />
        <TextField
          label="Rotation period (days)"
          name="rotationPeriodDays"
          type="number"
          min={1}
          max={3650}
          state={state}
          defaultValue={value("rotationPeriodDays")}
        />
        <TextField
          label="Vault path"
          name="vaultPath"
          state={state}
          defaultValue={value("vaultPath")}
          hint="Where the secret lives, e.g. secret/agents/release"
          className="sm:col-span-2"
        />
      </div>
      <JustificationField state={state} />
      <div className="flex items-center gap-3">
        <Button type="submit" disabled={form.pending}>
          Record credential
        </Button>
        <FormMessage state={state} />
      </div>
    </form>
  );
}

export function RotateCredentialForm({ credentialId, label, action }: { credentialId: string; label: string; action: ServerAction }) {
  const form = useMutationForm(action, { dates: { expiresAt: "end" } });
  const { state, value } = form;
  return (
    <form key={form.formKey} action={form.formAction} aria-label={`Rotate ${label}`} className="flex flex-wrap items-end gap-2">
      <input type="hidden" name="credentialId" value={credentialId} />
      <TextField label="New fingerprint" name="fingerprint" state={state} defaultValue={value("fingerprint")} className="w-48" />
      <TextField label="New expiry" name="expiresAt" type="date" state={state} defaultValue={value("expiresAt")} className="w-36" />
      <JustificationField state={state} className="w-72" />
      <Button type="submit" variant="secondary" disabled={form.pending}>
        Rotate
      </Button>
      <FormMessage state={state} />
    </form>
  );
}

export function RevokeCredentialButton({ credentialId, label, action }: { credentialId: string; label: string; action: ServerAction }) {
  const form = useMutationForm(action);
  return (
    <form key={form.formKey} action={form.formAction} aria-label={`Revoke ${label}`} className="flex items-center gap-2">
      <input type="hidden" name="credentialId" value={credentialId} />
      <Button type="submit" variant="danger" disabled={form.pending}>
        Revoke
      </Button>
      {form.state.status === "error" ? <FormMessage state={form.state} /> : null}
    </form>
  );
}

/**
 * Issues the identity an agent token for the runtime endpoints. The secret is
 * in the answer only, shown once here; the token then appears among the
 * credentials and is revoked there.
 */
export function IssueAgentTokenForm({ identityId, action }: { identityId: string; action: ServerAction }) {
  const form = useMutationForm(action, { initial: { expiresInDays: "30" } });
  const { state, value } = form;
  const secret = state.status === "ok" ? (state.result as { secret?: string } | undefined)?.secret : undefined;
  return (
    <form
      key={form.formKey}
      action={form.formAction}
      aria-label="Issue an agent token"
      className="space-y-2 rounded-md border border-slate-200 bg-white p-3"
    >
      <h3 className="text-sm font-semibold">Issue an agent token</h3>
      <p className="text-xs text-slate-600">
        The identity authenticates with it when it asks Warrant before acting (authorize API, Claude Code hook).
      </p>
      <input type="hidden" name="identityId" value={identityId} />
      <div className="grid grid-cols-1 gap-2 sm:grid-cols-4">
        <TextField label="Label" name="label" state={state} defaultValue={value("label")} required hint="Where it runs, e.g. CI runner" />
        <TextField
          label="Expires in (days)"
          name="expiresInDays"
          type="number"
          min={1}
          max={365}
          state={state}
          defaultValue={value("expiresInDays")}
          required
        />
      </div>
      <div className="flex items-center gap-3">
        <Button type="submit" disabled={form.pending}>
          Issue token
        </Button>
        <FormMessage state={state} />
      </div>
      {secret ? (
        <p className="rounded bg-slate-100 p-2 font-mono text-xs break-all" data-testid="new-agent-token">
          {secret}
        </p>
      ) : null}
    </form>
  );
}
