import Link from "next/link";
import { ImportFrameworkForm } from "@/components/controls/import-framework-form";
import { Badge } from "@/components/ui/badge";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { TableFrame, TableHead } from "@/components/ui/table";
import { can } from "@/lib/auth/actor";
import { requirePermission } from "@/lib/auth/session";
import { listFrameworks } from "@/lib/controls/frameworks";
import { prisma } from "@/lib/db/client";
import { importFrameworkAction } from "./actions";

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
  const frameworks = await listFrameworks(prisma);
  return (
    <>
      <PageHeader title="Controls" description="Warrant's controls, their automated tests, and the frameworks they map to." />
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
      <EmptyState title="Controls: not built yet">
        Controls such as “every active identity has an owner” will run over live data here, each mapped to the requirements of the
        frameworks above.
      </EmptyState>
    </>
  );
}
