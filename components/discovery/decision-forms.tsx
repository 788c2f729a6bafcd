"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { PersonPicker, type PersonChoice } from "@/components/person-picker";
import { Button } from "@/components/ui/button";
import { FieldError, FormMessage } from "@/components/ui/form-message";
import { JustificationField, SelectField, TextAreaField, TextField } from "@/components/inventory/fields";
import { useMutationForm, type ServerAction } from "@/components/inventory/use-mutation-form";
import type { Permission } from "@/lib/db/generated/enums";
import { AUTONOMY_LABELS, ENVIRONMENT_LABELS, KIND_LABELS, PERMISSION_LABELS } from "@/lib/inventory/labels";

// What a person decides about a finding: register the tool it shows, link it
// to an identity already in the inventory, dismiss it, or take a dismissal
// back. Each is a form over its lib/discovery/decide.ts mutation.

const PERMISSIONS: Permission[] = ["READ", "WRITE", "DEPLOY", "ADMIN"];
const formClass = "space-y-3 rounded-md border border-slate-200 bg-white p-4";

const options = (labels: Record<string, string>) => Object.entries(labels);

export interface RegisterDefaults {
  name: string;
  purpose: string;
  kind: string;
  vendor: string;
  product: string;
  autonomy: string;
  expiresAt: string;
  reviewCadenceDays: string;
  permissions: Permission[];
}

export function RegisterFindingForm({
  action,
  findingId,
  repository,
  defaults,
  owner,
  ownerChoice,
}: {
  action: ServerAction;
  findingId: string;
  /** "acme/payments-api (Prod)": where the grants are. */
  repository: string;
  defaults: RegisterDefaults;
  /** The viewer: the owner unless a security lead or admin picks another. */
  owner: PersonChoice;
  ownerChoice: boolean;
}) {
  const router = useRouter();
  const { permissions, ...initial } = defaults;
  const form = useMutationForm(action, {
    initial: { ...initial, findingId },
    dates: { expiresAt: "end" },
    onSuccess: (state) => {
      const id = (state.result as { identity?: { id?: string } } | undefined)?.identity?.id;
      if (id) router.push(`/inventory/${id}`);
    },
  });
  const { state, value } = form;
  const checked = state.status === "error" ? form.values("permissions") : permissions;
  return (
    <form key={form.formKey} action={form.formAction} aria-label="Register as a new identity" className={formClass}>
      <input type="hidden" name="findingId" value={findingId} />
      <p className="text-xs text-slate-600">
        Creates a proposed identity through the normal registration: a sensitive one (privileged or production access, raised autonomy)
        waits for approval first. Activate it once it is confirmed in use.
      </p>
      <div className="grid grid-cols-1 gap-3 sm:grid-cols-3">
        <TextField label="Name" name="name" state={state} defaultValue={value("name")} required hint="Unique within its environment" />
        <SelectField label="Kind" name="kind" state={state} defaultValue={value("kind")} options={options(KIND_LABELS)} required />
        <SelectField
          label="Autonomy"
          name="autonomy"
          state={state}
          defaultValue={value("autonomy")}
          options={options(AUTONOMY_LABELS)}
          required
        />
        <TextAreaField label="Purpose" name="purpose" state={state} defaultValue={value("purpose")} required className="sm:col-span-3" />
        <TextField label="Vendor" name="vendor" state={state} defaultValue={value("vendor")} />
        <TextField label="Product" name="product" state={state} defaultValue={value("product")} />
        <div />
        {ownerChoice ? (
          <div>
            <PersonPicker name="ownerId" label="Owner" initial={owner} assignable required />
            <FieldError state={state} name="ownerId" />
          </div>
        ) : (
          <div className="text-xs">
            <input type="hidden" name="ownerId" value={owner.id} />
            <span className="font-medium text-slate-700">Owner</span>
            <p className="mt-1 text-sm">{owner.label}</p>
          </div>
        )}
        <div>
          <PersonPicker name="backupOwnerId" label="Backup owner" assignable placeholder="None" />
          <FieldError state={state} name="backupOwnerId" />
        </div>
        <div />
        <TextField label="Expires" name="expiresAt" type="date" state={state} defaultValue={value("expiresAt")} required />
        <TextField
          label="Review every (days)"
          name="reviewCadenceDays"
          type="number"
          min={7}
          max={365}
          state={state}
          defaultValue={value("reviewCadenceDays")}
          required
        />
      </div>
      <fieldset>
        <legend className="text-xs font-medium text-slate-700">Grants on {repository}</legend>
        <div className="mt-1 flex flex-wrap gap-4 text-sm">
          {PERMISSIONS.map((permission) => (
            <label key={permission} className="flex items-center gap-1.5">
              <input type="checkbox" name="permissions" value={permission} defaultChecked={checked.includes(permission)} />
              {PERMISSION_LABELS[permission]}
            </label>
          ))}
        </div>
        <p className="mt-0.5 text-xs text-slate-500">Checked: what the footprint implies. Grant less if it needs less.</p>
        <FieldError state={state} name="permissions" />
      </fieldset>
      <JustificationField state={state} className="max-w-xl" />
      <div className="flex flex-wrap items-center gap-3">
        <Button type="submit" disabled={form.pending}>
          Register identity
        </Button>
        <FormMessage state={state} />
      </div>
    </form>
  );
}

export interface LinkableIdentity {
  id: string;
  name: string;
  environment: keyof typeof ENVIRONMENT_LABELS;
  kind: keyof typeof KIND_LABELS;
}

export function LinkFindingForm({
  action,
  findingId,
  identities,
  suggestedIdentityId,
  truncated,
}: {
  action: ServerAction;
  findingId: string;
  identities: LinkableIdentity[];
  /** Chosen to begin with: the identity the footprint's proposal names, when it exists. */
  suggestedIdentityId?: string;
  /** More identities exist than were offered: say so, so a missing one is typed into the filter's hint. */
  truncated: boolean;
}) {
  const form = useMutationForm(action, { initial: { findingId, identityId: suggestedIdentityId ?? "" } });
  const { state, value } = form;
  const [filter, setFilter] = useState("");
  const shown = identities.filter((identity) => identity.name.toLowerCase().includes(filter.trim().toLowerCase()));
  return (
    <form key={form.formKey} action={form.formAction} aria-label="Link to an existing identity" className={formClass}>
      <input type="hidden" name="findingId" value={findingId} />
      <label className="block text-xs font-medium text-slate-700">
        Filter identities
        <input
          type="search"
          value={filter}
          onChange={(event) => setFilter(event.target.value)}
          placeholder="Part of a name"
          className="mt-0.5 block w-full max-w-sm rounded border border-slate-300 bg-white px-2 py-1 text-sm"
        />
      </label>
      <SelectField
        label="Identity"
        name="identityId"
        state={state}
        defaultValue={value("identityId")}
        emptyOption={shown.length === 0 ? "No identity matches" : "Choose…"}
        options={shown.map((identity): [string, string] => [
          identity.id,
          `${identity.name} (${ENVIRONMENT_LABELS[identity.environment]}, ${KIND_LABELS[identity.kind]})`,
        ])}
        required
        hint={
          truncated ? `The first ${identities.length} identities in service you manage, by name.` : "Identities in service that you manage."
        }
        className="max-w-xl"
      />
      <div className="flex flex-wrap items-center gap-3">
        <Button type="submit" variant="secondary" disabled={form.pending}>
          Link to this identity
        </Button>
        <FormMessage state={state} />
      </div>
    </form>
  );
}

export function DismissFindingForm({ action, findingId }: { action: ServerAction; findingId: string }) {
  const form = useMutationForm(action, { initial: { findingId, reason: "" } });
  const { state, value } = form;
  return (
    <form key={form.formKey} action={form.formAction} aria-label="Dismiss this finding" className={formClass}>
      <input type="hidden" name="findingId" value={findingId} />
      <TextAreaField
        label="Reason"
        name="reason"
        state={state}
        defaultValue={value("reason")}
        rows={2}
        required
        hint="Kept with the finding and in the audit log: a false positive, a tool no longer used, a secret rotated…"
        className="max-w-xl"
      />
      <div className="flex flex-wrap items-center gap-3">
        <Button type="submit" variant="danger" disabled={form.pending}>
          Dismiss
        </Button>
        <FormMessage state={state} />
      </div>
    </form>
  );
}

export function ReopenFindingForm({ action, findingId }: { action: ServerAction; findingId: string }) {
  const form = useMutationForm(action, { initial: { findingId } });
  return (
    <form key={form.formKey} action={form.formAction} aria-label="Reopen this finding" className="flex flex-wrap items-center gap-3">
      <input type="hidden" name="findingId" value={findingId} />
      <Button type="submit" variant="secondary" disabled={form.pending}>
        Reopen
      </Button>
      <FormMessage state={form.state} />
    </form>
  );
}

/** Security leads and admins: the repository, and who sees its findings, go to another team. */
export function MoveRepositoryForm({
  action,
  repositoryId,
  teams,
}: {
  action: ServerAction;
  repositoryId: string;
  teams: { id: string; name: string }[];
}) {
  const form = useMutationForm(action, { initial: { repositoryId, teamId: "", reason: "" } });
  const { state, value } = form;
  return (
    <form key={form.formKey} action={form.formAction} aria-label="Move the repository to another team" className="space-y-2">
      <input type="hidden" name="repositoryId" value={repositoryId} />
      <SelectField
        label="Move to team"
        name="teamId"
        state={state}
        defaultValue={value("teamId")}
        options={teams.map((team) => [team.id, team.name])}
        emptyOption="Choose a team"
        required
        hint="Its findings are then seen by that team's members (and still by security leads, admins and auditors)."
      />
      <TextField label="Reason" name="reason" state={state} defaultValue={value("reason")} hint="Optional; kept in the audit log." />
      <div className="flex flex-wrap items-center gap-3">
        <Button type="submit" variant="secondary" disabled={form.pending}>
          Move
        </Button>
        <FormMessage state={state} />
      </div>
    </form>
  );
}
