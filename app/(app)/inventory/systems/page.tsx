import Link from "next/link";
import { Fragment } from "react";
import { InventoryLinks } from "@/components/inventory/inventory-links";
import { ConfirmSensitivityForm, EditSystemForm, RegisterSystemForm } from "@/components/inventory/system-forms";
import { Badge } from "@/components/ui/badge";
import { PageHeader } from "@/components/ui/page-header";
import { can } from "@/lib/auth/actor";
import { requirePermission } from "@/lib/auth/session";
import { prisma } from "@/lib/db/client";
import { isInventoryManager } from "@/lib/inventory/access";
import { ENVIRONMENT_LABELS, SENSITIVITY_LABELS, SYSTEM_KIND_LABELS } from "@/lib/inventory/labels";
import { listSystemsWithReach } from "@/lib/inventory/systems-overview";
import { confirmSystemSensitivityAction, createSystemAction, updateSystemAction } from "./actions";
import { TableFrame, TableHead } from "@/components/ui/table";

export const metadata = { title: "Systems" };

const th = "px-3 py-2 font-medium";
const td = "px-3 py-1.5";

export default async function SystemsPage({ searchParams }: { searchParams: Promise<{ edit?: string | string[] }> }) {
  const actor = await requirePermission("inventory:read");
  const { edit } = await searchParams;
  const mayRegister = can(actor, "inventory:write");
  // Sensitivity and environment decide every reaching identity's risk, so only they may change them.
  const mayEdit = mayRegister && isInventoryManager(actor);
  const systems = await listSystemsWithReach(prisma);

  return (
    <>
      <PageHeader
        title="Systems"
        description="What AI identities can reach. A system's sensitivity and environment feed the risk of every identity with a grant on it; one awaiting a security lead's confirmation counts as restricted."
        actions={<InventoryLinks register={mayRegister} systems={false} />}
      />
      <TableFrame label="Systems" className="mb-6" empty={systems.length === 0 ? "No systems yet." : undefined}>
        <TableHead>
          <th scope="col" className={th}>
            Name
          </th>
          <th scope="col" className={th}>
            Kind
          </th>
          <th scope="col" className={th}>
            Environment
          </th>
          <th scope="col" className={th}>
            Sensitivity
          </th>
          <th scope="col" className={`${th} text-right`}>
            Identities with live grants
          </th>
          {mayEdit ? (
            <th scope="col" className={th}>
              <span className="sr-only">Actions</span>
            </th>
          ) : null}
        </TableHead>
        <tbody>
          {systems.map((system) => {
            const label = `${system.name} (${system.environment.toLowerCase()})`;
            const editing = mayEdit && edit === system.id;
            return (
              <Fragment key={system.id}>
                <tr data-testid="system-row" className="border-b border-slate-100 align-top">
                  <th scope="row" className={`${td} font-medium`}>
                    {system.name}
                    {system.description ? <span className="block text-xs font-normal text-slate-500">{system.description}</span> : null}
                  </th>
                  <td className={td}>{SYSTEM_KIND_LABELS[system.kind]}</td>
                  <td className={td}>{ENVIRONMENT_LABELS[system.environment]}</td>
                  <td className={td}>
                    <Badge tone={system.sensitivity === "RESTRICTED" ? "red" : system.sensitivity === "CONFIDENTIAL" ? "amber" : "neutral"}>
                      {SENSITIVITY_LABELS[system.sensitivity]}
                    </Badge>
                    {system.proposedSensitivity ? (
                      <span data-testid="awaiting-confirmation" className="mt-0.5 block text-xs text-slate-600">
                        Awaiting confirmation: proposed {SENSITIVITY_LABELS[system.proposedSensitivity].toLowerCase()}
                      </span>
                    ) : null}
                    {mayEdit && system.proposedSensitivity ? (
                      <ConfirmSensitivityForm
                        systemId={system.id}
                        name={label}
                        proposed={system.proposedSensitivity}
                        action={confirmSystemSensitivityAction}
                      />
                    ) : null}
                  </td>
                  <td className={`${td} text-right tabular-nums`}>{system.identitiesWithLiveGrants}</td>
                  {mayEdit ? (
                    <td className={`${td} text-right`}>
                      <Link
                        href={editing ? "/inventory/systems" : `/inventory/systems?edit=${system.id}`}
                        aria-label={`${editing ? "Stop editing" : "Edit"} ${label}`}
                        className="text-sky-700 hover:underline"
                      >
                        {editing ? "Close" : "Edit"}
                      </Link>
                    </td>
                  ) : null}
                </tr>
                {editing ? (
                  <tr className="border-b border-slate-100 bg-slate-50/60">
                    <td colSpan={6} className="px-3">
                      <EditSystemForm
                        systemId={system.id}
                        initial={{
                          name: system.name,
                          kind: system.kind,
                          environment: system.environment,
                          sensitivity: system.sensitivity,
                          description: system.description ?? "",
                        }}
                        action={updateSystemAction}
                      />
                    </td>
                  </tr>
                ) : null}
              </Fragment>
            );
          })}
        </tbody>
      </TableFrame>
      {mayRegister ? <RegisterSystemForm action={createSystemAction} /> : null}
    </>
  );
}
