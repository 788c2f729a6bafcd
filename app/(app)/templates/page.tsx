import Link from "next/link";
import { CreateTemplateForm } from "@/components/templates/template-forms";
import { TemplatesTable } from "@/components/templates/templates-table";
import { PageHeader } from "@/components/ui/page-header";
import { can } from "@/lib/auth/actor";
import { requirePermission } from "@/lib/auth/session";
import { prisma } from "@/lib/db/client";
import { listSystemOptions, listTeams } from "@/lib/inventory/identity-detail";
import { listTemplates } from "@/lib/templates/templates";
import { createTemplateAction } from "./actions";

export const metadata = { title: "Templates" };

const linkClass = "rounded px-2.5 py-1 text-sm font-medium text-slate-800 ring-1 ring-slate-300 ring-inset hover:bg-slate-50";

export default async function TemplatesPage() {
  const actor = await requirePermission("inventory:read");
  const editable = can(actor, "lifecycle:configure");
  const [templates, systems, teams] = await Promise.all([
    listTemplates(prisma),
    editable ? listSystemOptions(prisma) : [],
    editable ? listTeams(prisma) : [],
  ]);
  return (
    <>
      <PageHeader
        title="Identity templates"
        description="The kinds of AI tool the organisation has approved. An owner registers one from a template with a name and a purpose; it gets the template's settings and access."
        actions={
          <Link href="/settings/lifecycle" className={linkClass}>
            Lifecycle settings
          </Link>
        }
      />
      <TemplatesTable templates={templates} mayRegister={can(actor, "inventory:write")} />
      {editable ? (
        <section aria-labelledby="new-template" className="mt-6 space-y-2">
          <h2 id="new-template" className="text-sm font-semibold text-slate-700">
            New template
          </h2>
          <CreateTemplateForm
            action={createTemplateAction}
            initial={{
              name: "",
              description: "",
              kind: "",
              vendor: "",
              product: "",
              model: "",
              environment: "",
              autonomy: "SUGGEST",
              teamId: "",
              reviewCadenceDays: "",
              lifetimeDays: "180",
            }}
            grants={[]}
            systems={systems}
            teams={teams.map((team) => ({ id: team.id, label: team.name }))}
          />
        </section>
      ) : null}
    </>
  );
}
