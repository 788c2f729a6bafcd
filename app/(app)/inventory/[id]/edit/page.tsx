import Link from "next/link";
import { forbidden, notFound } from "next/navigation";
import { EditIdentityForm } from "@/components/inventory/identity-form";
import { PageHeader } from "@/components/ui/page-header";
import { requirePermission } from "@/lib/auth/session";
import { prisma } from "@/lib/db/client";
import { readPageParams } from "@/lib/validation/page-params";
import { findIdentity, identityFormValues, identityPermissions, listOwnerCandidates, listTeams } from "@/lib/inventory/identity-detail";
import { updateIdentityAction } from "../actions";

export const metadata = { title: "Edit identity" };

export default async function EditIdentityPage({ params }: { params: Promise<{ id: string }> }) {
  const actor = await requirePermission("inventory:read");
  const { id } = await readPageParams(params);
  const identity = await findIdentity(prisma, id);
  if (!identity) notFound();
  // Only its owner, backup owner, security leads and admins edit it; anyone else gets a 403.
  if (!identityPermissions(actor, identity).edit) forbidden();
  const back = (
    <Link href={`/inventory/${identity.id}`} className="text-sm text-sky-700 hover:underline">
      Back to {identity.name}
    </Link>
  );
  const [people, teams] = await Promise.all([listOwnerCandidates(prisma, [identity.ownerId, identity.backupOwnerId]), listTeams(prisma)]);
  return (
    <>
      <PageHeader
        title={`Edit ${identity.name}`}
        description="Reassign its owner, change what it is or when it ends. Only what you change is saved."
        actions={back}
      />
      <EditIdentityForm
        identityId={identity.id}
        action={updateIdentityAction}
        initial={identityFormValues(identity)}
        people={people}
        teams={teams}
        ownerChoice
        ownerLabel=""
      />
    </>
  );
}
