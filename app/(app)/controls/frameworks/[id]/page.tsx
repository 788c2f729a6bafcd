import Link from "next/link";
import { notFound } from "next/navigation";
import { Badge } from "@/components/ui/badge";
import { AddRequirementForm } from "@/components/controls/add-requirement-form";
import { PageHeader } from "@/components/ui/page-header";
import { TableFrame, TableHead } from "@/components/ui/table";
import { can } from "@/lib/auth/actor";
import { requirePermission } from "@/lib/auth/session";
import { getFramework } from "@/lib/controls/frameworks";
import { frameworkCoverage, type RequirementCoverage } from "@/lib/controls/queries";
import { ControlStatusBadge } from "@/components/controls/control-status-badge";
import { CoverageHeatmap, type HeatCell } from "@/components/controls/coverage-heatmap";
import { prisma } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { addRequirementAction } from "../../actions";

export const metadata = { title: "Framework" };

/** Left padding by depth under parents (classes, not an inline style: the CSP allows none). */
const INDENT = ["pl-3", "pl-8", "pl-12", "pl-16"];

async function load(id: string) {
  try {
    return await getFramework(prisma, id);
  } catch (error) {
    if (error instanceof AppError && error.code === "not_found") notFound();
    throw error;
  }
}

/**
 * The heatmap's grid: one row per top-level item (a function, a family) with a cell per item
 * directly under it; a framework of one level is one row of its items.
 */
function heatmap(coverage: RequirementCoverage[]): { rows: string[]; cells: HeatCell[] } {
  const cell = (item: RequirementCoverage, x: number, y: number): HeatCell => ({
    x,
    y,
    code: item.code,
    title: item.title,
    status: item.status,
    passing: item.passing,
    failing: item.failing,
  });
  const top = coverage.filter((item) => item.depth === 0);
  const nested = coverage.some((item) => item.depth === 1);
  if (!nested) return { rows: [""], cells: top.map((item, index) => cell(item, index, 0)) };
  const cells = top.flatMap((parent, y) =>
    coverage.filter((item) => item.depth === 1 && item.parentCode === parent.code).map((item, x) => cell(item, x, y)),
  );
  return { rows: top.map((item) => item.code), cells };
}

export default async function Page({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<{ view?: string }>;
}) {
  const actor = await requirePermission("controls:read");
  const framework = await load((await params).id);
  const coverage = await frameworkCoverage(prisma, framework);
  const gapsOnly = (await searchParams).view === "gaps";
  // Gaps are counted among the items nothing sits under: the requirements themselves, not their groups.
  const parents = new Set(coverage.map((item) => item.parentCode));
  const leaves = coverage.filter((item) => !parents.has(item.code));
  const gaps = leaves.filter((item) => item.status === "GAP");
  const shown = gapsOnly ? gaps : coverage;
  const grid = heatmap(coverage);
  return (
    <>
      <PageHeader
        title={framework.name}
        description={`${framework.version}. ${framework.requirements.length} items under their official IDs and titles.`}
        actions={
          <Link href="/controls" className="text-sm text-sky-700 hover:underline">
            All frameworks
          </Link>
        }
      />
      {framework.notes || framework.source ? (
        <p className="mb-3 max-w-4xl text-sm text-slate-600">
          {framework.notes}{" "}
          {framework.source ? (
            <a href={framework.source} className="text-sky-700 hover:underline" rel="noreferrer">
              Published text
            </a>
          ) : null}
        </p>
      ) : null}
      <section aria-labelledby="coverage-heading" className="mb-4 space-y-2">
        <div className="flex flex-wrap items-baseline justify-between gap-3">
          <h2 id="coverage-heading" className="text-sm font-semibold text-slate-700">
            Coverage
          </h2>
          <p className="text-xs text-slate-600" data-testid="coverage-summary">
            {leaves.length - gaps.length} of {leaves.length} requirements covered by a control ·{" "}
            {leaves.filter((item) => item.status === "FAIL").length} failing ·{" "}
            {gapsOnly ? (
              <Link href={`/controls/frameworks/${framework.id}`} className="text-sky-700 hover:underline">
                Show all
              </Link>
            ) : (
              <Link href={`/controls/frameworks/${framework.id}?view=gaps`} className="text-sky-700 hover:underline">
                {gaps.length} gaps
              </Link>
            )}
          </p>
        </div>
        <CoverageHeatmap cells={grid.cells} rows={grid.rows} title={`${framework.name} coverage`} />
        <p className="text-xs text-slate-600">
          Green: passing · red: failing · grey: not applicable · amber: no control covers it. Each cell is an item with what sits under it.
        </p>
      </section>
      {!framework.builtIn && can(actor, "controls:manage") ? (
        <AddRequirementForm
          action={addRequirementAction}
          frameworkId={framework.id}
          items={framework.requirements.map((requirement) => [requirement.code, `${requirement.code} ${requirement.title}`.slice(0, 80)])}
        />
      ) : null}
      <TableFrame label={`${framework.name}: items`}>
        <TableHead>
          <th scope="col" className="px-3 py-2 font-medium">
            ID
          </th>
          <th scope="col" className="px-3 py-2 font-medium">
            Kind
          </th>
          <th scope="col" className="px-3 py-2 font-medium">
            Title
          </th>
          <th scope="col" className="px-3 py-2 font-medium">
            Status
          </th>
          <th scope="col" className="px-3 py-2 font-medium">
            Controls
          </th>
        </TableHead>
        <tbody className="divide-y divide-slate-100">
          {shown.map((requirement) => (
            <tr key={requirement.id} id={`req-${requirement.code}`} data-testid="requirement-row">
              <td className={`py-1.5 pr-3 font-mono text-xs whitespace-nowrap ${INDENT[Math.min(requirement.depth, INDENT.length - 1)]}`}>
                {requirement.code}
              </td>
              <td className="px-3 py-1.5 text-xs text-slate-600">{requirement.kind ?? "—"}</td>
              <td className="px-3 py-1.5">
                <span className={requirement.depth === 0 ? "font-medium" : undefined}>{requirement.title}</span>{" "}
                {requirement.withdrawn ? <Badge tone="amber">Withdrawn</Badge> : null}
                {requirement.text ? <span className="block text-xs text-slate-600">{requirement.text}</span> : null}
                {requirement.altTitle ? <span className="block text-xs text-slate-500">Also: {requirement.altTitle}</span> : null}
              </td>
              <td className="px-3 py-1.5">
                <ControlStatusBadge status={requirement.status} />
              </td>
              <td className="px-3 py-1.5 text-xs">
                {requirement.controls.map((control) => (
                  <Link key={control.key} href={`/controls/${control.key}`} className="block text-sky-700 hover:underline">
                    {control.title}
                    {control.alias ? ` (as ${control.alias})` : ""}
                  </Link>
                ))}
              </td>
            </tr>
          ))}
        </tbody>
      </TableFrame>
    </>
  );
}
