import { NotificationPreferencesForm } from "@/components/account/notification-preferences-form";
import { PageHeader } from "@/components/ui/page-header";
import { can } from "@/lib/auth/actor";
import { requireActor } from "@/lib/auth/session";
import { prisma } from "@/lib/db/client";
import { actorUserId } from "@/lib/inventory/access";
import { NOTICE_KIND_KEYS, NOTICE_KINDS } from "@/lib/lifecycle/kinds";
import { pendingDigestCount, preferencesOf } from "@/lib/lifecycle/preferences";
import { setNotificationPreferencesAction } from "./actions";

export const metadata = { title: "Your notifications" };

export default async function Page() {
  const actor = await requireActor();
  const userId = actorUserId(actor);
  const [preferences, waiting] = userId ? await Promise.all([preferencesOf(prisma, userId), pendingDigestCount(prisma, userId)]) : [{}, 0];
  const rows = NOTICE_KIND_KEYS.map((kind) => ({
    kind,
    label: NOTICE_KINDS[kind].label,
    delivery: NOTICE_KINDS[kind].optional ? (preferences[kind] ?? "EMAIL") : null,
  }));
  return (
    <>
      <PageHeader
        title="Your notifications"
        description="How Warrant tells you about the identities you own or back up: by email as it happens, once a day in a digest (07:00 UTC), or not at all."
      />
      {waiting > 0 ? (
        <p className="mb-3 text-sm text-slate-700">
          {waiting} message{waiting === 1 ? "" : "s"} wait{waiting === 1 ? "s" : ""} for your next digest.
        </p>
      ) : null}
      {can(actor, "inventory:write") ? (
        <NotificationPreferencesForm action={setNotificationPreferencesAction} rows={rows} />
      ) : (
        // Auditors own nothing and lead nothing: no lifecycle message is ever for them.
        <p className="text-sm text-slate-700">
          Your role receives no lifecycle messages: they go to the owners of identities and to security leads.
        </p>
      )}
    </>
  );
}
