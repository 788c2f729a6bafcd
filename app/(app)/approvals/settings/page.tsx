import { CatalogEntryForm, RuleForm } from "@/components/approvals/settings-forms";
import { Badge } from "@/components/ui/badge";
import { PageHeader } from "@/components/ui/page-header";
import { can } from "@/lib/auth/actor";
import { requirePermission } from "@/lib/auth/session";
import { prisma } from "@/lib/db/client";
import { describeApprovers } from "@/lib/approvals/rules";
import { listApprovalSettings } from "@/lib/approvals/settings";
import { updateApprovalRuleAction, updateCatalogEntryAction } from "../actions";

export const metadata = { title: "Approval rules" };

export default async function Page() {
  const actor = await requirePermission("approvals:read");
  const { rules, catalog } = await listApprovalSettings(prisma);
  const editable = can(actor, "approvals:configure");
  return (
    <>
      <PageHeader
        title="Approval rules"
        description="Which changes wait for humans, and who decides them. Changing any of this is itself a change that needs approval."
      />
      <section aria-labelledby="catalog-heading" className="mb-6 space-y-2">
        <h2 id="catalog-heading" className="text-sm font-semibold text-slate-700">
          Sensitive changes
        </h2>
        <ul className="divide-y divide-slate-100 rounded-md border border-slate-200 bg-white">
          {catalog.map((entry) => (
            <li key={entry.key} className="space-y-1 px-3 py-2 text-sm" aria-label={entry.label}>
              <div className="flex flex-wrap items-center gap-2">
                <span className="font-medium">{entry.label}</span>
                <Badge tone={entry.enabled ? "amber" : "neutral"}>{entry.enabled ? "Needs approval" : "Applied at once"}</Badge>
                <span className="text-xs text-slate-500">
                  {rules.find((rule) => rule.key === entry.ruleKey)?.name}
                  {entry.maxDays !== null ? ` · limit ${entry.maxDays} days` : ""}
                </span>
              </div>
              <p className="text-xs text-slate-600">{entry.description}</p>
              {editable ? <CatalogEntryForm entry={entry} rules={rules} action={updateCatalogEntryAction} /> : null}
            </li>
          ))}
        </ul>
      </section>
      <section aria-labelledby="rules-heading" className="space-y-2">
        <h2 id="rules-heading" className="text-sm font-semibold text-slate-700">
          Rules
        </h2>
        {rules.map((rule) => (
          <div
            key={rule.key}
            className="space-y-2 rounded-md border border-slate-200 bg-white p-3 text-sm"
            aria-label={`Rule ${rule.name}`}
          >
            <p className="font-medium">
              {rule.name} <span className="font-mono text-xs text-slate-500">{rule.key}</span>
            </p>
            <ol className="list-inside list-decimal text-xs text-slate-700">
              {rule.levels.map((level, index) => (
                <li key={index}>
                  {level.name}: {level.required} × {describeApprovers(level.approvers)}
                </li>
              ))}
            </ol>
            <p className="text-xs text-slate-500">Requests expire after {rule.expiryHours} hours.</p>
            {editable ? <RuleForm rule={rule} action={updateApprovalRuleAction} /> : null}
          </div>
        ))}
      </section>
    </>
  );
}
