import Link from "next/link";
import { NavLinks } from "@/components/app-shell/nav-links";
import { Badge } from "@/components/ui/badge";
import { requireActor } from "@/lib/auth/session";
import { navItemsFor } from "@/lib/auth/navigation";
import { ROLE_LABELS } from "@/lib/auth/permissions";
import { prisma } from "@/lib/db/client";
import { countWaitingFor } from "@/lib/approvals/queries";
import { can } from "@/lib/auth/actor";
import { openFindingCount } from "@/lib/discovery/queries";
import { signOutAction } from "./actions";

export default async function AppLayout({ children }: { children: React.ReactNode }) {
  const actor = await requireActor();
  const [waiting, openFindings] = await Promise.all([
    countWaitingFor(prisma, actor),
    can(actor, "inventory:read") ? openFindingCount(prisma, actor) : 0,
  ]);
  return (
    <div className="flex min-h-screen">
      <nav aria-label="Main" className="w-52 shrink-0 bg-slate-900 px-3 py-4">
        <Link href="/" className="mb-6 block px-2 text-base font-semibold tracking-tight text-white">
          Warrant
        </Link>
        <NavLinks items={navItemsFor(actor.roles)} counts={{ "/discovered": openFindings }} />
      </nav>
      <div className="flex min-w-0 flex-1 flex-col">
        <header className="flex items-center justify-end gap-3 border-b border-slate-200 bg-white px-6 py-2 text-sm">
          {waiting > 0 ? (
            <Link href="/approvals?view=waiting" data-testid="approvals-waiting" className="mr-auto text-amber-800 hover:underline">
              {waiting} approval request{waiting === 1 ? "" : "s"} waiting for you
            </Link>
          ) : null}
          <Link href="/account" data-testid="current-user" title="Your notifications" className="text-slate-700 hover:underline">
            {actor.label}
          </Link>
          <span className="flex gap-1" data-testid="current-roles">
            {actor.roles.length === 0 ? (
              <Badge>Owner</Badge>
            ) : (
              actor.roles.map((role) => (
                <Badge key={role} tone="blue">
                  {ROLE_LABELS[role]}
                </Badge>
              ))
            )}
          </span>
          <form action={signOutAction}>
            <button type="submit" className="text-slate-600 underline-offset-2 hover:underline">
              Sign out
            </button>
          </form>
        </header>
        <main className="flex-1 px-6 py-5">{children}</main>
      </div>
    </div>
  );
}
