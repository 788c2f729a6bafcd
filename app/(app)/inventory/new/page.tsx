import { InventoryLinks } from "@/components/inventory/inventory-links";
import { RegisterIdentityForm } from "@/components/inventory/identity-form";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { can } from "@/lib/auth/actor";
import { requirePermission } from "@/lib/auth/session";
import { prisma } from "@/lib/db/client";
import { findUserTeamId, listOwnerCandidates, listTeams } from "@/lib/inventory/identity-detail";
import { isInventoryManager } from "@/lib/inventory/access";
import { createIdentityAction } from "./actions";

export const metadata = { title: "Register identity" };

export default async function RegisterIdentityPage() {
  const actor = await requirePermission("inventory:read");
  const header = (
    <PageHeader
      title="Register identity"
      description="An AI tool that can authenticate to or act in your systems: who answers for it, why it exists and when it ends."
      actions={<InventoryLinks register={false} />}
    />
  );
  if (!can(actor, "inventory:write")) {
    return (
      <>
        {header}
        <EmptyState title="Auditors read, they do not register">Ask the tool&apos;s owner or a security lead to register it.</EmptyState>
      </>
    );
  }
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
