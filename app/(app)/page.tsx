import Link from "next/link";
import { PageHeader } from "@/components/ui/page-header";
import { IdentityStatusBadge } from "@/components/status-badge";
import { requirePermission } from "@/lib/auth/session";
import { prisma } from "@/lib/db/client";
import { countIdentitiesByStatus, countNeedingAttention } from "@/lib/inventory/dashboard";

export const metadata = { title: "Dashboard" };

export default async function DashboardPage() {
  await requirePermission("inventory:read");
  const [byStatus, attention] = await Promise.all([countIdentitiesByStatus(prisma), countNeedingAttention(prisma)]);
  const total = byStatus.reduce((sum, row) => sum + row.count, 0);

  return (
    <>
      <PageHeader title="Dashboard" description="Every AI tool that can authenticate or act in your systems, at a glance." />
      <section aria-labelledby="by-status" className="mb-6">
        <h2 id="by-status" className="mb-2 text-sm font-semibold text-slate-700">
          Identities by status <span className="font-normal text-slate-500">({total} in all)</span>
        </h2>
        <ul className="grid grid-cols-2 gap-2 sm:grid-cols-3 lg:grid-cols-6">
          {byStatus.map(({ status, count }) => (
            <li key={status}>
              <Link
                href={`/inventory?status=${status}`}
                data-testid={`status-count-${status}`}
                className="block rounded-md border border-slate-200 bg-white p-3 hover:border-slate-400"
              >
                <IdentityStatusBadge status={status} />
                <span className="mt-1 block text-2xl font-semibold tabular-nums">{count}</span>
              </Link>
            </li>
          ))}
        </ul>
      </section>
      <section aria-labelledby="attention">
        <h2 id="attention" className="mb-2 text-sm font-semibold text-slate-700">
          Needs attention
        </h2>
        <ul className="grid grid-cols-1 gap-2 sm:grid-cols-3">
          <AttentionTile label="Orphaned (owner deactivated)" count={attention.orphaned} href="/inventory?orphaned=1" testId="orphaned" />
          <AttentionTile label="Review overdue" count={attention.reviewOverdue} href="/inventory?reviewOverdue=1" testId="review-overdue" />
          <AttentionTile label="Expiring within 30 days" count={attention.expiringIn30Days} href="/inventory?expiresWithinDays=30" testId="expiring" />
        </ul>
      </section>
    </>
  );
}

function AttentionTile({ label, count, href, testId }: { label: string; count: number; href: string; testId: string }) {
  return (
    <li>
      <Link href={href} data-testid={`attention-${testId}`} className="block rounded-md border border-slate-200 bg-white p-3 hover:border-slate-400">
        <span className="block text-xs text-slate-600">{label}</span>
        <span className={`mt-1 block text-2xl font-semibold tabular-nums ${count > 0 ? "text-amber-700" : ""}`}>{count}</span>
      </Link>
    </li>
  );
}
