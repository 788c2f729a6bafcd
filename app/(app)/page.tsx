import Link from "next/link";
import { LinkedBarChart } from "@/components/charts/linked-bar-chart";
import { StackedBarChart } from "@/components/charts/stacked-bar-chart";
import { IdentityStatusBadge } from "@/components/status-badge";
import { PageHeader } from "@/components/ui/page-header";
import { requirePermission } from "@/lib/auth/session";
import { prisma } from "@/lib/db/client";
import { inventoryHref, loadDashboard, type LinkedCount } from "@/lib/inventory/dashboard";
import { frameworkPassRates } from "@/lib/controls/queries";
import { Sparkline } from "@/components/controls/trend-chart";
import { TableFrame, TableHead } from "@/components/ui/table";

export const metadata = { title: "Dashboard" };

const RISK_COLORS = { LOW: "#94a3b8", MEDIUM: "#38bdf8", HIGH: "#f59e0b", CRITICAL: "#dc2626" } as const;
const AGE_COLORS = ["#bbf7d0", "#86efac", "#fcd34d", "#fb923c", "#dc2626"];
const ENVIRONMENT_SERIES = [
  { key: "DEV", label: "Dev", color: "#94a3b8" },
  { key: "STAGING", label: "Staging", color: "#38bdf8" },
  { key: "PROD", label: "Prod", color: "#7c3aed" },
];

export default async function DashboardPage() {
  await requirePermission("inventory:read");
  const [dashboard, passRates] = await Promise.all([loadDashboard(prisma), frameworkPassRates(prisma)]);

  return (
    <>
      <PageHeader
        title="Dashboard"
        description="Every AI tool that can authenticate or act in your systems, at a glance. Every number opens the identities it counts."
      />

      <section aria-labelledby="by-status" className="mb-6">
        <h2 id="by-status" className="mb-2 text-sm font-semibold text-slate-700">
          Identities by status{" "}
          <Link href={inventoryHref(dashboard.total.query)} className="font-normal text-sky-700 hover:underline" data-testid="total-count">
            ({dashboard.total.count} in all)
          </Link>
        </h2>
        <ul className="grid grid-cols-2 gap-2 sm:grid-cols-3 lg:grid-cols-6">
          {dashboard.byStatus.map((item) => (
            <li key={item.status}>
              <Link
                href={inventoryHref(item.query)}
                data-testid={`status-count-${item.status}`}
                className="block rounded-md border border-slate-200 bg-white p-3 hover:border-slate-400"
              >
                <IdentityStatusBadge status={item.status} />
                <span className="mt-1 block text-2xl font-semibold tabular-nums">{item.count}</span>
              </Link>
            </li>
          ))}
        </ul>
      </section>

      <section aria-labelledby="framework-pass-rates" className="mb-6">
        <h2 id="framework-pass-rates" className="mb-2 text-sm font-semibold text-slate-700">
          Controls by framework{" "}
          <Link href="/controls" className="font-normal text-sky-700 hover:underline">
            (all controls)
          </Link>
        </h2>
        <TableFrame label="Pass rate per framework">
          <TableHead>
            <th scope="col" className="px-3 py-2 font-medium">
              Framework
            </th>
            <th scope="col" className="px-3 py-2 font-medium">
              Pass rate
            </th>
            <th scope="col" className="px-3 py-2 font-medium">
              Requirements passing
            </th>
            <th scope="col" className="px-3 py-2 font-medium">
              Trend
            </th>
          </TableHead>
          <tbody className="divide-y divide-slate-100">
            {passRates.map((rate) => (
              <tr key={rate.frameworkId} data-testid={`pass-rate-${rate.frameworkId}`}>
                <td className="px-3 py-1.5">
                  <Link href={`/controls/frameworks/${rate.frameworkId}`} className="text-sky-700 hover:underline">
                    {rate.name}
                  </Link>
                </td>
                <td className="px-3 py-1.5 font-semibold tabular-nums">{rate.percent === null ? "—" : `${rate.percent}%`}</td>
                <td className="px-3 py-1.5 text-xs text-slate-700 tabular-nums">
                  {rate.assessed === 0 ? "none assessed yet" : `${rate.passing} of ${rate.assessed}`}
                </td>
                <td className="px-3 py-1.5">
                  <Sparkline points={rate.trend} label={`${rate.name} pass rate`} />
                </td>
              </tr>
            ))}
          </tbody>
        </TableFrame>
      </section>

      <section aria-labelledby="attention" className="mb-6">
        <h2 id="attention" className="mb-2 text-sm font-semibold text-slate-700">
          Needs attention
        </h2>
        <ul className="grid grid-cols-2 gap-2 lg:grid-cols-5">
          {dashboard.attention.map(({ key, item }) => (
            <li key={key}>
              <Link
                href={inventoryHref(item.query)}
                data-testid={`attention-${key}`}
                className="block rounded-md border border-slate-200 bg-white p-3 hover:border-slate-400"
              >
                <span className="block text-xs text-slate-600">{item.label}</span>
                <span className={`mt-1 block text-2xl font-semibold tabular-nums ${item.count > 0 ? "text-amber-700" : ""}`}>
                  {item.count}
                </span>
              </Link>
            </li>
          ))}
        </ul>
      </section>

      <div className="grid gap-4 lg:grid-cols-2">
        <ChartPanel title="Risk tier (identities in use)" items={dashboard.byRisk} testId="risk">
          <LinkedBarChart
            title="Risk tier"
            bars={dashboard.byRisk.map((item) => ({
              label: item.label,
              count: item.count,
              href: inventoryHref(item.query),
              color: RISK_COLORS[item.tier],
            }))}
          />
        </ChartPanel>
        <ChartPanel
          title="Credential age (identities with an active credential of that age)"
          items={dashboard.credentialAge}
          testId="credential-age"
        >
          <LinkedBarChart
            title="Credential age"
            bars={dashboard.credentialAge.map((item, index) => ({
              label: item.label,
              count: item.count,
              href: inventoryHref(item.query),
              color: AGE_COLORS[index]!,
            }))}
          />
        </ChartPanel>
      </div>

      <section aria-labelledby="kind-env" className="mt-4 rounded-md border border-slate-200 bg-white p-3">
        <h2 id="kind-env" className="mb-2 text-sm font-semibold text-slate-700">
          Identities in use by kind and environment
        </h2>
        <StackedBarChart
          title="Identities by kind and environment"
          series={ENVIRONMENT_SERIES}
          rows={dashboard.byKindAndEnvironment.map((row) => ({
            label: row.label,
            ...Object.fromEntries(row.cells.map((cell) => [cell.environment, cell.count])),
          }))}
          hrefFor={Object.fromEntries(
            dashboard.byKindAndEnvironment.map((row) => [
              row.label,
              Object.fromEntries(row.cells.map((cell) => [cell.environment, inventoryHref(cell.query)])),
            ]),
          )}
        />
        <table className="mt-3 w-full text-left text-sm" data-testid="kind-env-table">
          <thead className="text-xs text-slate-600">
            <tr>
              <th scope="col" className="py-1 font-medium">
                Kind
              </th>
              {ENVIRONMENT_SERIES.map((serie) => (
                <th key={serie.key} scope="col" className="py-1 font-medium">
                  {serie.label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {dashboard.byKindAndEnvironment.map((row) => (
              <tr key={row.kind}>
                <th scope="row" className="py-1 font-normal">
                  {row.label}
                </th>
                {row.cells.map((cell) => (
                  <td key={cell.environment} className="py-1 tabular-nums">
                    <Link
                      href={inventoryHref(cell.query)}
                      className="text-sky-700 hover:underline"
                      aria-label={`${cell.label}: ${cell.count}`}
                    >
                      {cell.count}
                    </Link>
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </>
  );
}

function ChartPanel({
  title,
  items,
  testId,
  children,
}: {
  title: string;
  items: LinkedCount[];
  testId: string;
  children: React.ReactNode;
}) {
  return (
    <section className="rounded-md border border-slate-200 bg-white p-3" aria-label={title}>
      <h2 className="mb-2 text-sm font-semibold text-slate-700">{title}</h2>
      {children}
      <ul className="mt-2 flex flex-wrap gap-x-4 gap-y-1 text-sm" data-testid={`${testId}-counts`}>
        {items.map((item) => (
          <li key={item.label}>
            <Link href={inventoryHref(item.query)} className="text-sky-700 hover:underline">
              {item.label}: <span className="tabular-nums">{item.count}</span>
            </Link>
          </li>
        ))}
      </ul>
    </section>
  );
}
