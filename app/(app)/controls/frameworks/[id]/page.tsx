import Link from "next/link";
import { notFound } from "next/navigation";
import { Badge } from "@/components/ui/badge";
import { AddRequirementForm } from "@/components/controls/add-requirement-form";
import { PageHeader } from "@/components/ui/page-header";
import { TableFrame, TableHead } from "@/components/ui/table";
import { can } from "@/lib/auth/actor";
import { requirePermission } from "@/lib/auth/session";
import { getFramework } from "@/lib/controls/frameworks";
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

export default async function Page({ params }: { params: Promise<{ id: string }> }) {
  const actor = await requirePermission("controls:read");
  const framework = await load((await params).id);
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
        </TableHead>
        <tbody className="divide-y divide-slate-100">
          {framework.requirements.map((requirement) => (
            <tr key={requirement.id} data-testid="requirement-row">
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
            </tr>
          ))}
        </tbody>
      </TableFrame>
    </>
  );
}
