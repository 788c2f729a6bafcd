import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { TableFrame, TableHead } from "@/components/ui/table";
import { AUTONOMY_LABELS, ENVIRONMENT_LABELS, KIND_LABELS } from "@/lib/inventory/labels";
import { cadenceLabel, grantsLabel } from "@/lib/templates/describe";
import type { TemplateRow } from "@/lib/templates/templates";

const th = "px-3 py-2 font-medium";
const td = "px-3 py-1.5";

export function TemplatesTable({ templates, mayRegister }: { templates: TemplateRow[]; mayRegister: boolean }) {
  return (
    <TableFrame label="Templates" empty={templates.length === 0 ? "No templates yet. Security leads create them." : undefined}>
      <TableHead>
        {["Name", "Kind", "Environment", "Autonomy", "Grants", "Review every", "Expires after", "Version", "Identities", "Status"].map(
          (label) => (
            <th key={label} scope="col" className={th}>
              {label}
            </th>
          ),
        )}
        {mayRegister ? (
          <th scope="col" className={th}>
            <span className="sr-only">Actions</span>
          </th>
        ) : null}
      </TableHead>
      <tbody>
        {templates.map((template) => (
          <tr key={template.id} data-testid="template-row" className="border-b border-slate-100 align-top">
            <th scope="row" className={`${td} font-medium`}>
              <Link href={`/templates/${template.id}`} className="text-sky-700 hover:underline">
                {template.name}
              </Link>
              {template.teamName ? <span className="block text-xs font-normal text-slate-500">{template.teamName}</span> : null}
            </th>
            <td className={td}>{KIND_LABELS[template.kind]}</td>
            <td className={td}>{ENVIRONMENT_LABELS[template.environment]}</td>
            <td className={td}>{AUTONOMY_LABELS[template.autonomy]}</td>
            <td className={`${td} text-xs`}>{grantsLabel(template)}</td>
            <td className={td}>{cadenceLabel(template)}</td>
            <td className={td}>{template.lifetimeDays} days</td>
            <td className={`${td} tabular-nums`}>{template.version}</td>
            <td className={`${td} tabular-nums`} title="in service / all made from it">
              {template.identitiesInService} / {template.identitiesMade}
            </td>
            <td className={td}>{template.archivedAt ? <Badge>Archived</Badge> : <Badge tone="green">In use</Badge>}</td>
            {mayRegister ? (
              <td className={`${td} text-right`}>
                {template.archivedAt ? null : (
                  <Link
                    href={`/inventory/new?template=${template.id}`}
                    aria-label={`Register from ${template.name}`}
                    className="text-sky-700 hover:underline"
                  >
                    Register
                  </Link>
                )}
              </td>
            ) : null}
          </tr>
        ))}
      </tbody>
    </TableFrame>
  );
}
