import { InventoryLinks } from "@/components/inventory/inventory-links";
import { RegisterIdentityForm } from "@/components/inventory/identity-form";
import { PageHeader } from "@/components/ui/page-header";
import { requirePermission } from "@/lib/auth/session";
import { prisma } from "@/lib/db/client";
import { findUserTeamId, listOwnerCandidates, listTeams } from "@/lib/inventory/identity-detail";
import { isInventoryManager } from "@/lib/inventory/access";
import { createIdentityAction } from "./actions";

export const metadata = { title: "Register identity" };

export default async function RegisterIdentityPage() {
  // Auditors read and do not register: for them this page is a 403.
  const actor = await requirePermission("inventory:write");
  const header = (
    <PageHeader
      title="Register identity"
      description="An AI tool that can authenticate to or act in your systems: who answers for it, why it exists and when it ends."
      actions={<InventoryLinks register={false} />}
    />
  );
  const [people, teams, teamId] = await Promise.all([listOwnerCandidates(prisma), listTeams(prisma), findUserTeamId(prisma, actor.userId)]);
  const me = people.find((person) => person.id === actor.userId);
  return (
    <>
      {header}
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
