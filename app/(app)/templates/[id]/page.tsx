import Link from "next/link";
import { notFound } from "next/navigation";
import { ArchiveTemplateForm, EditTemplateForm } from "@/components/templates/template-forms";
import { LocalTime } from "@/components/local-time";
import { PageHeader } from "@/components/ui/page-header";
import { can } from "@/lib/auth/actor";
import { requirePermission } from "@/lib/auth/session";
import { prisma } from "@/lib/db/client";
import { listSystemOptions, listTeams } from "@/lib/inventory/identity-detail";
import { AUTONOMY_LABELS, ENVIRONMENT_LABELS, KIND_LABELS } from "@/lib/inventory/labels";
import { cadenceLabel, grantsLabel } from "@/lib/templates/describe";
import { loadTemplate, templateFormValues } from "@/lib/templates/templates";
import { readPageParams } from "@/lib/validation/page-params";
import { archiveTemplateAction, updateTemplateAction } from "../actions";

export async function generateMetadata({ params }: { params: Promise<{ id: string }> }) {
  const template = await loadTemplate(prisma, (await readPageParams(params)).id);
  return { title: template?.name ?? "Template not found" };
}

const linkClass = "rounded px-2.5 py-1 text-sm font-medium text-slate-800 ring-1 ring-slate-300 ring-inset hover:bg-slate-50";

export default async function TemplatePage({ params }: { params: Promise<{ id: string }> }) {
  const actor = await requirePermission("inventory:read");
  const template = await loadTemplate(prisma, (await readPageParams(params)).id);
  if (!template) notFound();
  const editable = can(actor, "lifecycle:configure") && !template.archivedAt;
  const [systems, teams] = editable ? await Promise.all([listSystemOptions(prisma), listTeams(prisma)]) : [[], []];
  const facts: [string, React.ReactNode][] = [
    ["Kind", KIND_LABELS[template.kind]],
    ["Vendor / product / model", [template.vendor, template.product, template.model].filter(Boolean).join(" / ") || "—"],
    ["Environment", ENVIRONMENT_LABELS[template.environment]],
    ["Autonomy", AUTONOMY_LABELS[template.autonomy]],
    ["Team", template.teamName ?? "None"],
    ["Grants", grantsLabel(template)],
    ["Review every", cadenceLabel(template)],
    ["Expires after", `${template.lifetimeDays} days`],
    ["Version", String(template.version)],
    ["Identities made from it", `${template.identitiesInService} in service, ${template.identitiesMade} in all`],
    [
      "Status",
      template.archivedAt ? (
        <>
          Archived <LocalTime iso={template.archivedAt.toISOString()} />
        </>
      ) : (
        "In use"
      ),
    ],
  ];
  return (
    <>
      <PageHeader
        title={template.name}
        description={template.description ?? "An identity template."}
        actions={
          <>
            <Link href="/templates" className={linkClass}>
              All templates
            </Link>
            {!template.archivedAt && can(actor, "inventory:write") ? (
              <Link href={`/inventory/new?template=${template.id}`} className={linkClass}>
                Register from this template
              </Link>
            ) : null}
          </>
        }
      />
      <dl className="mb-6 max-w-3xl divide-y divide-slate-100 rounded-md border border-slate-200 bg-white text-sm" aria-label="Template">
        {facts.map(([label, value]) => (
          <div key={label} className="flex justify-between gap-4 px-3 py-2">
            <dt className="text-slate-700">{label}</dt>
            <dd className="text-right">{value}</dd>
          </div>
        ))}
      </dl>
      {editable ? (
        <section aria-labelledby="edit-template" className="space-y-3">
          <h2 id="edit-template" className="text-sm font-semibold text-slate-700">
            Edit
          </h2>
          <EditTemplateForm
            templateId={template.id}
            identitiesInService={template.identitiesInService}
            action={updateTemplateAction}
            initial={templateFormValues(template)}
            grants={template.grants.map(({ systemId, permission }) => ({ systemId, permission }))}
            systems={systems}
            teams={teams.map((team) => ({ id: team.id, label: team.name }))}
          />
          <ArchiveTemplateForm templateId={template.id} name={template.name} action={archiveTemplateAction} />
        </section>
      ) : null}
    </>
  );
}
