"use client";

import { useRouter } from "next/navigation";
import { Button } from "@/components/ui/button";
import { FormMessage } from "@/components/ui/form-message";
import { SelectField, TextAreaField, TextField } from "@/components/inventory/fields";
import { useMutationForm, type ServerAction } from "@/components/inventory/use-mutation-form";
import { AUTONOMY_LABELS, ENVIRONMENT_LABELS, KIND_LABELS, optionsOf, PERMISSION_LABELS } from "@/lib/inventory/labels";

// Writing identity templates (security leads). The grants are rows of a
// system and a permission; empty rows are ignored (app/(app)/templates/actions.ts).

export interface TemplateFormValues {
  name: string;
  description: string;
  kind: string;
  vendor: string;
  product: string;
  model: string;
  environment: string;
  autonomy: string;
  teamId: string;
  reviewCadenceDays: string;
  lifetimeDays: string;
}

type Option = { id: string; label: string };

interface TemplateFormProps {
  action: ServerAction;
  initial: TemplateFormValues;
  grants: { systemId: string; permission: string }[];
  systems: Option[];
  teams: Option[];
}

const EMPTY_GRANT_ROWS = 3;

export function CreateTemplateForm(props: TemplateFormProps) {
  const form = useMutationForm(props.action, { initial: { ...props.initial } });
  return <TemplateFields {...props} form={form} />;
}

export function EditTemplateForm(props: TemplateFormProps & { templateId: string; identitiesInService: number }) {
  const router = useRouter();
  const form = useMutationForm(props.action, { initial: { ...props.initial }, onSuccess: () => router.refresh() });
  return <TemplateFields {...props} form={form} />;
}

function TemplateFields({
  form,
  grants,
  systems,
  teams,
  templateId,
  identitiesInService,
}: TemplateFormProps & { form: ReturnType<typeof useMutationForm>; templateId?: string; identitiesInService?: number }) {
  const { state, value } = form;
  // After a refusal the rows show what was sent; otherwise the template's grants and a few empty rows.
  const sentSystems = form.values("grantSystemId");
  const sentPermissions = form.values("grantPermission");
  const rows =
    sentSystems.length > 0
      ? sentSystems.map((systemId, index) => ({ systemId, permission: sentPermissions[index] ?? "READ" }))
      : [...grants, ...Array.from({ length: EMPTY_GRANT_ROWS }, () => ({ systemId: "", permission: "READ" }))];
  const systemOptions = systems.map((system): [string, string] => [system.id, system.label]);
  return (
    <form
      key={form.formKey}
      action={form.formAction}
      aria-label={templateId ? "Edit template" : "Create a template"}
      className="max-w-3xl space-y-4 rounded-md border border-slate-200 bg-white p-4"
    >
      {templateId ? <input type="hidden" name="templateId" value={templateId} /> : null}
      <fieldset className="grid grid-cols-1 gap-3 sm:grid-cols-2">
        <legend className="mb-2 text-sm font-semibold text-slate-800">The kind of tool</legend>
        <TextField
          label="Template name"
          name="name"
          state={state}
          defaultValue={value("name")}
          required
          hint="e.g. Claude Code, dev, team X"
        />
        <SelectField
          label="Kind"
          name="kind"
          state={state}
          defaultValue={value("kind")}
          options={optionsOf(KIND_LABELS)}
          required
          emptyOption={templateId ? undefined : "Choose…"}
        />
        <TextField label="Vendor" name="vendor" state={state} defaultValue={value("vendor")} />
        <TextField label="Product" name="product" state={state} defaultValue={value("product")} />
        <TextField label="Model" name="model" state={state} defaultValue={value("model")} />
        <SelectField
          label="Team"
          name="teamId"
          state={state}
          defaultValue={value("teamId")}
          options={teams.map((team): [string, string] => [team.id, team.label])}
          emptyOption="None"
        />
        <SelectField
          label="Environment"
          name="environment"
          state={state}
          defaultValue={value("environment")}
          options={optionsOf(ENVIRONMENT_LABELS)}
          required
          emptyOption={templateId ? undefined : "Choose…"}
        />
        <SelectField
          label="Autonomy"
          name="autonomy"
          state={state}
          defaultValue={value("autonomy") || "SUGGEST"}
          options={optionsOf(AUTONOMY_LABELS)}
        />
        <TextAreaField label="Description" name="description" state={state} defaultValue={value("description")} className="sm:col-span-2" />
      </fieldset>
      <fieldset className="grid grid-cols-1 gap-3 sm:grid-cols-2">
        <legend className="mb-2 text-sm font-semibold text-slate-800">Review and lifetime</legend>
        <TextField
          label="Review every (days)"
          name="reviewCadenceDays"
          type="number"
          state={state}
          defaultValue={value("reviewCadenceDays")}
          hint="Empty: the cadence of the identity's risk tier (lifecycle settings)"
        />
        <TextField
          label="Expires after (days)"
          name="lifetimeDays"
          type="number"
          state={state}
          defaultValue={value("lifetimeDays")}
          required
          hint="Counted from each registration"
        />
      </fieldset>
      <fieldset className="space-y-2">
        <legend className="mb-2 text-sm font-semibold text-slate-800">Access every identity made from it gets</legend>
        <p className="text-xs text-slate-600">
          Standing grants, created with the identity. Sensitive ones (write and above, production or restricted systems) make the whole
          registration wait for approval.
        </p>
        {rows.map((row, index) => (
          <div key={index} className="grid grid-cols-1 gap-2 sm:grid-cols-3" data-testid="template-grant-row">
            <SelectField
              label={`System ${index + 1}`}
              name="grantSystemId"
              state={state}
              defaultValue={row.systemId}
              options={systemOptions}
              emptyOption="None"
              className="sm:col-span-2"
            />
            <SelectField
              label={`Permission ${index + 1}`}
              name="grantPermission"
              state={state}
              defaultValue={row.permission}
              options={optionsOf(PERMISSION_LABELS)}
            />
          </div>
        ))}
      </fieldset>
      {templateId ? (
        <label className="flex items-center gap-2 text-sm">
          <input type="checkbox" name="openReviews" value="true" />
          Open a review for each identity in service made from it ({identitiesInService ?? 0})
        </label>
      ) : null}
      <div className="flex items-center gap-3">
        <Button type="submit" disabled={form.pending}>
          {templateId ? "Save as a new version" : "Create template"}
        </Button>
        <FormMessage state={state} />
      </div>
    </form>
  );
}

export function ArchiveTemplateForm({ templateId, name, action }: { templateId: string; name: string; action: ServerAction }) {
  const router = useRouter();
  const form = useMutationForm(action, { onSuccess: () => router.push("/templates") });
  return (
    <form key={form.formKey} action={form.formAction} aria-label={`Archive ${name}`} className="flex items-center gap-3">
      <input type="hidden" name="templateId" value={templateId} />
      <Button type="submit" variant="danger" disabled={form.pending}>
        Archive template
      </Button>
      <FormMessage state={form.state} />
    </form>
  );
}
