import { LifecycleSettingsForm } from "@/components/lifecycle/settings-form";
import { LIFECYCLE_FIELDS } from "@/components/lifecycle/settings-fields";
import { PageHeader } from "@/components/ui/page-header";
import { can } from "@/lib/auth/actor";
import { requirePermission } from "@/lib/auth/session";
import { prisma } from "@/lib/db/client";
import { lifecycleSettings } from "@/lib/lifecycle/settings";
import { updateLifecycleSettingsAction } from "./actions";

export const metadata = { title: "Lifecycle settings" };

/** Everyone reads the numbers their reviews follow; security leads change them. */
export default async function Page() {
  const actor = await requirePermission("inventory:read");
  const settings = await lifecycleSettings(prisma);
  const editable = can(actor, "lifecycle:configure");
  return (
    <>
      <PageHeader
        title="Lifecycle settings"
        description="When overdue reviews escalate, how long a change-triggered review gives the owner, and how often identities are reviewed by risk tier. A tier change brings an identity's next review forward to its new tier's cadence, never back; templates without a cadence of their own give new identities their tier's."
      />
      {editable ? (
        <LifecycleSettingsForm values={settings} action={updateLifecycleSettingsAction} />
      ) : (
        <dl
          className="max-w-3xl divide-y divide-slate-100 rounded-md border border-slate-200 bg-white text-sm"
          aria-label="Lifecycle settings"
        >
          {LIFECYCLE_FIELDS.map(([name, label]) => (
            <div key={name} className="flex justify-between px-3 py-2">
              <dt className="text-slate-700">{label}</dt>
              <dd className="tabular-nums">{settings[name]}</dd>
            </div>
          ))}
        </dl>
      )}
    </>
  );
}
