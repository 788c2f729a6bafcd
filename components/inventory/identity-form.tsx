"use client";

import { useRouter } from "next/navigation";
import { Button } from "@/components/ui/button";
import { FormMessage } from "@/components/ui/form-message";
import type { IdentityFormValues } from "@/lib/inventory/identity-detail";
import { AUTONOMY_LABELS, ENVIRONMENT_LABELS, KIND_LABELS, optionsOf } from "@/lib/inventory/labels";
import { MAX_IDENTITY_LIFETIME_DAYS } from "@/lib/validation/inventory";
import { JustificationField, SelectField, TextAreaField, TextField } from "./fields";
import { isoToDateInput, useInBrowser, useMutationForm, type ServerAction } from "./use-mutation-form";

interface Person {
  id: string;
  label: string;
}

interface IdentityFormProps {
  action: ServerAction;
  initial: IdentityFormValues;
  people: Person[];
  teams: { id: string; name: string }[];
  /** Security leads and admins pick any owner; members register what they own. */
  ownerChoice: boolean;
  /** Shown when the owner is fixed (the signed-in person). */
  ownerLabel: string;
}

/** Registers an identity, then opens its page. */
export function RegisterIdentityForm(props: IdentityFormProps) {
  const router = useRouter();
  const form = useMutationForm(props.action, {
    initial: { ...props.initial },
    dates: { expiresAt: "end" },
    onSuccess: (state) => {
      const id = (state.result as { id?: string } | undefined)?.id;
      if (id) router.push(`/inventory/${id}`);
    },
  });
  return <IdentityFields {...props} form={form} mode="create" />;
}

/** Edits an identity (owner and backup owner included), then returns to its page. */
export function EditIdentityForm(props: IdentityFormProps & { identityId: string }) {
  const router = useRouter();
  const inBrowser = useInBrowser();
  const initial = { ...props.initial, identityId: props.identityId, expiresAt: isoToDateInput(props.initial.expiresAt, inBrowser) };
  const form = useMutationForm(props.action, {
    initial,
    dates: { expiresAt: "end" },
    onlyChanged: true,
    always: ["identityId"],
    onSuccess: () => router.push(`/inventory/${props.identityId}`),
  });
  return <IdentityFields {...props} form={form} mode="edit" dateKey={inBrowser ? "local" : "utc"} />;
}

function IdentityFields({
  mode,
  form,
  people,
  teams,
  ownerChoice,
  ownerLabel,
  identityId,
  dateKey,
}: IdentityFormProps & { mode: "create" | "edit"; form: ReturnType<typeof useMutationForm>; identityId?: string; dateKey?: string }) {
  const { state, value } = form;
  const personOptions = people.map((person): [string, string] => [person.id, person.label]);
  return (
    <form
      key={form.formKey}
      action={form.formAction}
      aria-label={mode === "create" ? "Register an identity" : "Edit identity"}
      className="max-w-3xl space-y-4 rounded-md border border-slate-200 bg-white p-4"
    >
      {identityId ? <input type="hidden" name="identityId" value={identityId} /> : null}
      <fieldset className="grid grid-cols-1 gap-3 sm:grid-cols-2">
        <legend className="mb-2 text-sm font-semibold text-slate-800">What it is</legend>
        <TextField
          label="Name"
          name="name"
          state={state}
          defaultValue={value("name")}
          required
          hint="Unique within its environment, e.g. claude-code-release-agent"
        />
        <SelectField
          label="Kind"
          name="kind"
          state={state}
          defaultValue={value("kind")}
          options={optionsOf(KIND_LABELS)}
          required
          emptyOption={mode === "create" ? "Choose…" : undefined}
        />
        <TextField label="Vendor" name="vendor" state={state} defaultValue={value("vendor")} hint="e.g. Anthropic, GitHub" />
        <TextField label="Product" name="product" state={state} defaultValue={value("product")} hint="e.g. Claude Code, Copilot" />
        <TextField label="Model" name="model" state={state} defaultValue={value("model")} />
        <TextField
          label="External id"
          name="externalId"
          state={state}
          defaultValue={value("externalId")}
          hint="Its id in another inventory, if any"
        />
        <TextAreaField label="Purpose" name="purpose" state={state} defaultValue={value("purpose")} required className="sm:col-span-2" />
      </fieldset>

      <fieldset className="grid grid-cols-1 gap-3 sm:grid-cols-2">
        <legend className="mb-2 text-sm font-semibold text-slate-800">Where and how it acts</legend>
        {mode === "create" ? (
          <SelectField
            label="Environment"
            name="environment"
            state={state}
            defaultValue={value("environment")}
            options={optionsOf(ENVIRONMENT_LABELS)}
            required
            emptyOption="Choose…"
            hint="One identity per environment"
          />
        ) : (
          <div className="text-xs">
            <span className="font-medium text-slate-700">Environment</span>
            <p className="mt-1 text-sm">
              {ENVIRONMENT_LABELS[value("environment") as keyof typeof ENVIRONMENT_LABELS] ?? value("environment")}
            </p>
            <p className="mt-0.5 text-slate-500">Fixed at registration: another environment is another identity.</p>
          </div>
        )}
        <SelectField
          label="Autonomy"
          name="autonomy"
          state={state}
          defaultValue={value("autonomy") || "SUGGEST"}
          options={optionsOf(AUTONOMY_LABELS)}
          hint="Suggest: a person applies it. Autonomous: acts without one."
        />
      </fieldset>

      <fieldset className="grid grid-cols-1 gap-3 sm:grid-cols-2">
        <legend className="mb-2 text-sm font-semibold text-slate-800">Who answers for it</legend>
        {ownerChoice ? (
          <SelectField label="Owner" name="ownerId" state={state} defaultValue={value("ownerId")} options={personOptions} required />
        ) : (
          <div className="text-xs">
            <span className="font-medium text-slate-700">Owner</span>
            <input type="hidden" name="ownerId" value={value("ownerId")} />
            <p className="mt-1 text-sm" data-testid="fixed-owner">
              {ownerLabel}
            </p>
            <p className="mt-0.5 text-slate-500">You own what you register; a security lead can register for someone else.</p>
          </div>
        )}
        <SelectField
          label="Backup owner"
          name="backupOwnerId"
          state={state}
          defaultValue={value("backupOwnerId")}
          options={personOptions}
          emptyOption="None"
        />
        <SelectField
          label="Team"
          name="teamId"
          state={state}
          defaultValue={value("teamId")}
          options={teams.map((team): [string, string] => [team.id, team.name])}
          emptyOption="None"
        />
      </fieldset>

      <fieldset className="grid grid-cols-1 gap-3 sm:grid-cols-2">
        <legend className="mb-2 text-sm font-semibold text-slate-800">When it ends and is reviewed</legend>
        <TextField
          key={dateKey}
          label="Expiry date"
          name="expiresAt"
          type="date"
          state={state}
          defaultValue={value("expiresAt")}
          required
          hint={`It expires at the end of this day; at most ${MAX_IDENTITY_LIFETIME_DAYS} days ahead.`}
        />
        <TextField
          label="Review every (days)"
          name="reviewCadenceDays"
          type="number"
          min={7}
          max={365}
          state={state}
          defaultValue={value("reviewCadenceDays") || "90"}
          hint={
            mode === "edit"
              ? "Changing it schedules the next review that many days from today."
              : "The first review is due that many days from today."
          }
        />
      </fieldset>

      <JustificationField state={state} className="max-w-xl" />
      <div className="flex items-center gap-3">
        <Button type="submit" disabled={form.pending}>
          {mode === "create" ? "Register identity" : "Save changes"}
        </Button>
        <FormMessage state={state} />
      </div>
    </form>
  );
}
