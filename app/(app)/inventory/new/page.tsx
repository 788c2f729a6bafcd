import { InventoryLinks } from "@/components/inventory/inventory-links";
import { RegisterIdentityForm } from "@/components/inventory/identity-form";
import { PageHeader } from "@/components/ui/page-header";
import { requirePermission } from "@/lib/auth/session";
import { prisma } from "@/lib/db/client";
import { findUserTeamId, listOwnerCandidates, listTeams } from "@/lib/inventory/identity-detail";
import { isInventoryManager } from "@/lib/inventory/access";
import { RegisterFromTemplateForm } from "@/components/templates/register-from-template-form";
import { describeTemplate } from "@/lib/templates/describe";
import { listTemplates } from "@/lib/templates/templates";
import { createIdentityAction, registerFromTemplateAction } from "./actions";

export const metadata = { title: "Register identity" };

export default async function RegisterIdentityPage({ searchParams }: { searchParams: Promise<{ template?: string | string[] }> }) {
  // Auditors read and do not register: for them this page is a 403.
  const actor = await requirePermission("inventory:write");
  const header = (
    <PageHeader
      title="Register identity"
      description="An AI tool that can authenticate to or act in your systems: who answers for it, why it exists and when it ends."
      actions={<InventoryLinks register={false} />}
    />
  );
  const { template } = await searchParams;
  const [people, teams, teamId, templates] = await Promise.all([
    listOwnerCandidates(prisma),
    listTeams(prisma),
    findUserTeamId(prisma, actor.userId),
    listTemplates(prisma, { includeArchived: false }),
  ]);
  const me = people.find((person) => person.id === actor.userId);
  const selected = templates.find((row) => row.id === template)?.id ?? "";
  return (
    <>
      {header}
      {templates.length > 0 ? (
        <section aria-labelledby="from-template" className="mb-6 space-y-2">
          <h2 id="from-template" className="text-sm font-semibold text-slate-700">
            From a template
          </h2>
          <p className="text-xs text-slate-600">
            An approved kind of tool: give it a name and a purpose, and it gets the template&apos;s settings and access.
          </p>
          <RegisterFromTemplateForm
            action={registerFromTemplateAction}
            templates={templates.map((row) => ({ id: row.id, name: row.name, summary: describeTemplate(row) }))}
            selected={selected}
            people={people}
            ownerChoice={isInventoryManager(actor)}
            ownerId={actor.userId}
            ownerLabel={me?.label ?? actor.label}
          />
          <h2 className="pt-4 text-sm font-semibold text-slate-700">Or describe it yourself</h2>
        </section>
      ) : null}
      <RegisterIdentityForm
        action={createIdentityAction}
        initial={{
          name: "",
          kind: "",
          vendor: "",
          product: "",
          model: "",
          purpose: "",
          environment: "",
          autonomy: "SUGGEST",
          ownerId: actor.userId,
          backupOwnerId: "",
          teamId: teamId ?? "",
          expiresAt: "",
          reviewCadenceDays: "90",
          externalId: "",
        }}
        people={people}
        teams={teams}
        ownerChoice={isInventoryManager(actor)}
        ownerLabel={me?.label ?? actor.label}
      />
    </>
  );
}
