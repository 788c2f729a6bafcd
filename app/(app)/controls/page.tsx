import Link from "next/link";
import { ImportFrameworkForm } from "@/components/controls/import-framework-form";
import { Badge } from "@/components/ui/badge";
import { ControlStatusBadge } from "@/components/controls/control-status-badge";
import { RunControlsForm } from "@/components/controls/control-forms";
import { Sparkline } from "@/components/controls/trend-chart";
import { LocalTime } from "@/components/local-time";
import { PageHeader } from "@/components/ui/page-header";
import { TableFrame, TableHead } from "@/components/ui/table";
import { can } from "@/lib/auth/actor";
import { requirePermission } from "@/lib/auth/session";
import { listFrameworks } from "@/lib/controls/frameworks";
import { listControls, trendPoints } from "@/lib/controls/queries";
import { prisma } from "@/lib/db/client";
import { importFrameworkAction, runControlsAction } from "./actions";

export const metadata = { title: "Controls" };

/** "6 functions · 22 categories · 106 subcategories", in the kinds' published order. */
function describeCounts(counts: Record<string, number>) {
  const plural = (kind: string) => (kind.endsWith("y") ? `${kind.slice(0, -1)}ies` : `${kind}s`);
  return Object.entries(counts)
    .map(([kind, count]) => `${count} ${plural(kind)}`)
    .join(" · ");
}

export default async function Page() {
  const actor = await requirePermission("controls:read");
  const [frameworks, controls] = await Promise.all([listFrameworks(prisma), listControls(prisma)]);
  const lastRun = controls
    .map((control) => control.latest?.at)
    .reduce<Date | undefined>((latest, at) => (at && (!latest || at > latest) ? at : latest), undefined);
  const counts = { FAIL: 0, PASS: 0, NOT_APPLICABLE: 0 };
  for (const control of controls) if (control.latest) counts[control.latest.status] += 1;
  return (
    <>
      <PageHeader
        title="Controls"
        description="Warrant's controls, tested over live data every day, and the frameworks they map to."
        actions={can(actor, "controls:manage") ? <RunControlsForm action={runControlsAction} /> : undefined}
      />
      <section aria-labelledby="controls-heading" className="mb-6 space-y-2">
        <div className="flex flex-wrap items-baseline justify-between gap-3">
          <h2 id="controls-heading" className="text-sm font-semibold text-slate-700">
            Warrant&apos;s controls
          </h2>
          <p className="text-xs text-slate-600">
            {lastRun ? (
              <>
                {counts.FAIL} failing · {counts.PASS} passing · {counts.NOT_APPLICABLE} not applicable · last run{" "}
                <LocalTime iso={lastRun.toISOString()} />
              </>
            ) : (
              "Not run yet: they run daily, or now with “Run controls now”."
            )}
          </p>
        </div>
        <TableFrame label="Controls">
          <TableHead>
            <th scope="col" className="px-3 py-2 font-medium">
              Status
            </th>
            <th scope="col" className="px-3 py-2 font-medium">
              Control
            </th>
            <th scope="col" className="px-3 py-2 font-medium">
              Measure
            </th>
            <th scope="col" className="px-3 py-2 font-medium">
              Trend
            </th>
            <th scope="col" className="px-3 py-2 font-medium">
              Maps to
            </th>
          </TableHead>
          <tbody className="divide-y divide-slate-100">
            {controls.map((control) => (
              <tr key={control.key} data-testid={`control-${control.key}`}>
                <td className="px-3 py-1.5">
                  <ControlStatusBadge status={control.latest?.status ?? null} />
                </td>
                <td className="px-3 py-1.5">
                  <Link href={`/controls/${control.key}`} className="font-medium text-sky-700 hover:underline">
                    {control.title}
                  </Link>
                </td>
                <td className="px-3 py-1.5 text-xs text-slate-700">
                  {control.latest ? (control.latest.status === "NOT_APPLICABLE" ? control.latest.reason : control.latest.measure) : "—"}
                </td>
                <td className="px-3 py-1.5">
                  <Sparkline points={trendPoints(control.trend)} label={`${control.title} pass rate`} />
                </td>
                <td className="px-3 py-1.5 text-xs text-slate-600">
                  {control.mappings
                    .slice(0, 6)
                    .map((mapping) => (mapping.alias ? `${mapping.code} (${mapping.alias})` : mapping.code))
                    .join(" · ")}
                  {control.mappings.length > 6 ? ` · +${control.mappings.length - 6}` : ""}
                </td>
              </tr>
            ))}
          </tbody>
        </TableFrame>
      </section>
      <section aria-labelledby="frameworks-heading" className="mb-6 space-y-2">
        <h2 id="frameworks-heading" className="text-sm font-semibold text-slate-700">
          Frameworks
        </h2>
        <TableFrame label="Frameworks" empty={frameworks.length === 0 ? "No framework is loaded." : undefined}>
          <TableHead>
            <th scope="col" className="px-3 py-2 font-medium">
              Framework
            </th>
            <th scope="col" className="px-3 py-2 font-medium">
              Version
            </th>
            <th scope="col" className="px-3 py-2 font-medium">
              Items
            </th>
          </TableHead>
          <tbody className="divide-y divide-slate-100">
            {frameworks.map((framework) => (
              <tr key={framework.id} data-testid={`framework-${framework.id}`}>
                <td className="px-3 py-1.5">
                  <Link href={`/controls/frameworks/${framework.id}`} className="font-medium text-sky-700 hover:underline">
                    {framework.name}
                  </Link>{" "}
                  {framework.builtIn ? null : <Badge>Your own</Badge>}
                </td>
                <td className="px-3 py-1.5 text-xs text-slate-700">{framework.version}</td>
                <td className="px-3 py-1.5 text-xs whitespace-nowrap text-slate-700">{describeCounts(framework.counts)}</td>
              </tr>
            ))}
          </tbody>
        </TableFrame>
        {can(actor, "controls:manage") ? <ImportFrameworkForm action={importFrameworkAction} /> : null}
      </section>
    </>
  );
}
