import { LocalTime } from "@/components/local-time";
import { IdentityStatusBadge } from "@/components/status-badge";
import type { IdentityDetail } from "@/lib/inventory/identity-detail";
import { AUTONOMY_LABELS, ENVIRONMENT_LABELS, KIND_LABELS } from "@/lib/inventory/labels";
import { RiskTierBadge } from "./risk-badge";

function Person({ person }: { person: { name: string | null; email: string; active: boolean } | null }) {
  if (!person) return <span className="text-slate-500">None</span>;
  return (
    <span>
      {person.name ?? person.email}{" "}
      <a href={`mailto:${person.email}`} className="text-sky-700 hover:underline">
        {person.email}
      </a>
      {person.active ? null : <span className="ml-1 text-xs font-medium text-red-700">(deactivated)</span>}
    </span>
  );
}

function Item({ term, children, wide = false, testId }: { term: string; children: React.ReactNode; wide?: boolean; testId?: string }) {
  return (
    <div className={wide ? "sm:col-span-2 lg:col-span-3" : ""}>
      <dt className="text-xs font-medium text-slate-500">{term}</dt>
      <dd className="mt-0.5 text-sm text-slate-900" data-testid={testId}>
        {children}
      </dd>
    </div>
  );
}

const none = <span className="text-slate-500">—</span>;

/** The identity's facts, its orphan warning and its risk with the reasons behind it. */
export function IdentitySummary({ identity }: { identity: IdentityDetail }) {
  return (
    <>
      {identity.orphanedAt ? (
        <div
          role="note"
          data-testid="orphaned-banner"
          className="mb-4 rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900"
        >
          <strong className="font-semibold">Orphaned</strong> since <LocalTime iso={identity.orphanedAt.toISOString()} />: its owner was
          deactivated. Reassign an owner so someone answers for it.{" "}
          {identity.backupOwner?.active
            ? `Until then its backup owner, ${identity.backupOwner.name ?? identity.backupOwner.email}, attests its reviews.`
            : "It has no active backup owner, so security leads attest its reviews."}
        </div>
      ) : null}

      <section aria-labelledby="risk-heading" className="mb-5 rounded-md border border-slate-200 bg-white p-3">
        <h2 id="risk-heading" className="flex items-center gap-2 text-sm font-semibold text-slate-800">
          Risk <RiskTierBadge tier={identity.riskTier} />
        </h2>
        {identity.riskReasons.length > 0 ? (
          <ul className="mt-2 list-disc space-y-0.5 pl-5 text-sm text-slate-700" aria-label="Risk reasons">
            {identity.riskReasons.map((reason) => (
              <li key={reason}>{reason}</li>
            ))}
          </ul>
        ) : (
          <p className="mt-2 text-sm text-slate-600">
            Nothing raises it: no sensitive reach, no risky autonomy, no neglected credentials, review on time.
          </p>
        )}
        <p className="mt-2 text-xs text-slate-500">
          Computed from what it can reach, its permissions and autonomy, its credentials and its review date.
        </p>
      </section>

      <section aria-labelledby="facts-heading" className="mb-6">
        <h2 id="facts-heading" className="sr-only">
          Details
        </h2>
        <dl className="grid grid-cols-1 gap-x-6 gap-y-3 rounded-md border border-slate-200 bg-white p-3 sm:grid-cols-2 lg:grid-cols-3">
          <Item term="Status" testId="identity-status">
            <IdentityStatusBadge status={identity.status} />
          </Item>
          <Item term="Kind">{KIND_LABELS[identity.kind]}</Item>
          <Item term="Vendor / product">{[identity.vendor, identity.product].filter(Boolean).join(" · ") || none}</Item>
          <Item term="Model">{identity.model ?? none}</Item>
          <Item term="Environment">{ENVIRONMENT_LABELS[identity.environment]}</Item>
          <Item term="Autonomy">{AUTONOMY_LABELS[identity.autonomy]}</Item>
          <Item term="Owner" testId="identity-owner">
            <Person person={identity.owner} />
          </Item>
          <Item term="Backup owner" testId="identity-backup-owner">
            <Person person={identity.backupOwner} />
          </Item>
          <Item term="Team">{identity.team?.name ?? none}</Item>
          <Item term="Expires" testId="identity-expires">
            <span className={identity.expired ? "font-medium text-red-700" : ""}>
              <LocalTime iso={identity.expiresAt.toISOString()} />
              {identity.expired ? " (passed)" : null}
            </span>
          </Item>
          <Item term="Next review" testId="identity-next-review">
            <span className={identity.reviewOverdue ? "font-medium text-red-700" : ""}>
              <LocalTime iso={identity.nextReviewAt.toISOString()} />
              {identity.reviewOverdue ? " (overdue)" : null}
            </span>
            <span className="block text-xs text-slate-500">every {identity.reviewCadenceDays} days</span>
          </Item>
          <Item term="External id">{identity.externalId ? <span className="font-mono text-xs">{identity.externalId}</span> : none}</Item>
          <Item term="Purpose" wide>
            <p className="whitespace-pre-line">{identity.purpose}</p>
          </Item>
          <Item term="Registered">
            <LocalTime iso={identity.createdAt.toISOString()} />
          </Item>
          <Item term="Last changed">
            <LocalTime iso={identity.updatedAt.toISOString()} />
          </Item>
          {identity.apiToken ? <Item term="API token">{identity.apiToken.name} (managed on the Admin page)</Item> : null}
        </dl>
      </section>
    </>
  );
}
