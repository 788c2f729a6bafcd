import Link from "next/link";
import { notFound } from "next/navigation";
import {
  DismissFindingForm,
  LinkFindingForm,
  MoveRepositoryForm,
  RegisterFindingForm,
  ReopenFindingForm,
} from "@/components/discovery/decision-forms";
import { FindingDetails } from "@/components/discovery/finding-details";
import { FindingStatusBadges, SeverityBadge } from "@/components/discovery/finding-badges";
import { IdentityStatusBadge } from "@/components/status-badge";
import { LocalTime } from "@/components/local-time";
import { PageHeader } from "@/components/ui/page-header";
import { can } from "@/lib/auth/actor";
import { requirePermission } from "@/lib/auth/session";
import { prisma } from "@/lib/db/client";
import { mayDismissFindings, mayMoveRepositories } from "@/lib/discovery/access";
import { registerDefaults } from "@/lib/discovery/register-defaults";
import { DETECTOR_LABELS } from "@/lib/discovery/labels";
import { findingDetail, LINKABLE_IDENTITIES_LIMIT, linkableIdentities } from "@/lib/discovery/queries";
import { AppError } from "@/lib/errors";
import { isInventoryManager } from "@/lib/inventory/access";
import { listTeams } from "@/lib/inventory/identity-detail";
import { AUTONOMY_LABELS, ENVIRONMENT_LABELS, KIND_LABELS, PERMISSION_LABELS } from "@/lib/inventory/labels";
import { readPageParams } from "@/lib/validation/page-params";
import { dismissFindingAction, linkFindingAction, moveRepositoryAction, registerFindingAction, reopenFindingAction } from "./actions";

export const metadata = { title: "Discovered finding" };

async function load(id: string) {
  const actor = await requirePermission("inventory:read");
  try {
    return { actor, finding: await findingDetail(prisma, actor, id) };
  } catch (error) {
    if (error instanceof AppError && error.code === "not_found") notFound();
    throw error;
  }
}

const sectionClass = "rounded-md border border-slate-200 bg-white p-3 text-sm";
const dlClass = "grid grid-cols-[9rem_1fr] gap-x-3 gap-y-1.5";

export default async function Page({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await readPageParams(params);
  const { actor, finding } = await load(id);
  const writes = can(actor, "inventory:write");
  const open = finding.status === "OPEN";
  const decidable = writes && open && !finding.gone && !finding.pendingRequest;
  const mayDismiss = mayDismissFindings(actor);
  const identities = decidable ? await linkableIdentities(prisma, actor) : [];
  const mayMove = writes && mayMoveRepositories(actor);
  const otherTeams = mayMove ? (await listTeams(prisma)).filter((team) => team.id !== finding.team?.id) : [];
  const { proposal } = finding;
  const repositoryLabel = `${finding.repository} (${ENVIRONMENT_LABELS[finding.environment]})`;

  return (
    <>
      <PageHeader
        title={finding.title}
        description={`${finding.tool} in ${repositoryLabel}`}
        actions={
          <Link href="/discovered" className="text-sm text-sky-700 hover:underline">
            Back to the queue
          </Link>
        }
      />
      <div className="grid grid-cols-1 gap-4 lg:grid-cols-3">
        <div className="space-y-4 lg:col-span-2">
          <section aria-labelledby="evidence-heading" className={sectionClass}>
            <h2 id="evidence-heading" className="mb-2 text-sm font-semibold text-slate-700">
              Evidence
            </h2>
            <dl className={dlClass}>
              <dt className="text-slate-500">Repository</dt>
              <dd>{repositoryLabel}</dd>
              <dt className="text-slate-500">File</dt>
              <dd className="font-mono text-xs">
                {finding.file}:{finding.line}
              </dd>
              <dt className="text-slate-500">Detector</dt>
              <dd>{DETECTOR_LABELS[finding.detector as keyof typeof DETECTOR_LABELS] ?? finding.detector}</dd>
              <dt className="text-slate-500">Tool</dt>
              <dd>{finding.tool}</dd>
              <dt className="text-slate-500">Severity</dt>
              <dd>
                <SeverityBadge severity={finding.severity} />
              </dd>
              <dt className="text-slate-500">First seen</dt>
              <dd>
                <LocalTime iso={finding.firstSeenAt.toISOString()} />
              </dd>
              <dt className="text-slate-500">Last seen</dt>
              <dd>
                <LocalTime iso={finding.lastSeenAt.toISOString()} />
              </dd>
              {finding.goneAt ? (
                <>
                  <dt className="text-slate-500">Gone</dt>
                  <dd>
                    The scan of <LocalTime iso={finding.goneAt.toISOString()} /> no longer found it.
                  </dd>
                </>
              ) : null}
            </dl>
            <h3 className="mt-3 mb-1 text-xs font-medium text-slate-600">Snippet (secrets masked by the scanner)</h3>
            <pre className="overflow-x-auto rounded bg-slate-50 p-2 font-mono text-xs text-slate-800" aria-label="Snippet">
              {finding.snippet || "(no snippet)"}
            </pre>
            <FindingDetails details={finding.details} />
          </section>

          <section aria-labelledby="proposal-heading" className={sectionClass}>
            <h2 id="proposal-heading" className="mb-2 text-sm font-semibold text-slate-700">
              What Warrant proposes
            </h2>
            {proposal ? (
              <dl className={dlClass}>
                <dt className="text-slate-500">Kind</dt>
                <dd>{KIND_LABELS[proposal.kind]}</dd>
                <dt className="text-slate-500">Name</dt>
                <dd>{proposal.name}</dd>
                <dt className="text-slate-500">Autonomy</dt>
                <dd>{AUTONOMY_LABELS[proposal.autonomy]}</dd>
                <dt className="text-slate-500">On the repository</dt>
                <dd>
                  {proposal.permissions.length > 0
                    ? `${proposal.permissions.map((permission) => PERMISSION_LABELS[permission]).join(", ")} on ${repositoryLabel} (a System)`
                    : "No access to the repository itself"}
                </dd>
                {proposal.capabilities.length > 0 ? (
                  <>
                    <dt className="text-slate-500">Beyond it</dt>
                    <dd>
                      <ul className="list-inside list-disc">
                        {proposal.capabilities.map((capability) => (
                          <li key={capability}>{capability}</li>
                        ))}
                      </ul>
                    </dd>
                  </>
                ) : null}
              </dl>
            ) : (
              <p className="text-slate-600">
                Nothing to register: this is not a tool (a leaked secret is not an identity). Link it to the identity the secret belongs to,
                or dismiss it once the secret is rotated.
              </p>
            )}
          </section>

          {decidable ? (
            <section aria-labelledby="decide-heading" className="space-y-3">
              <h2 id="decide-heading" className="text-sm font-semibold text-slate-700">
                Decide
              </h2>
              {proposal ? (
                <>
                  <h3 className="text-xs font-medium text-slate-600">Register it</h3>
                  {finding.sameNameIdentity ? (
                    <p
                      role="note"
                      aria-label="Already in the inventory"
                      className="rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-xs text-amber-900"
                    >
                      <Link href={`/inventory/${finding.sameNameIdentity.id}`} className="font-medium underline">
                        {finding.sameNameIdentity.name}
                      </Link>{" "}
                      is already in the inventory in {ENVIRONMENT_LABELS[finding.environment]}: this footprint is probably the same tool, so
                      link it to that identity below, or register it under another name.
                    </p>
                  ) : null}
                  <RegisterFindingForm
                    action={registerFindingAction}
                    findingId={finding.id}
                    repository={repositoryLabel}
                    defaults={registerDefaults(finding, proposal, new Date())}
                    owner={{ id: actor.userId, label: actor.label }}
                    ownerChoice={isInventoryManager(actor)}
                  />
                </>
              ) : null}
              <h3 className="text-xs font-medium text-slate-600">
                {proposal ? "Or link it to an identity already in the inventory" : "Link it to the identity it belongs to"}
              </h3>
              <LinkFindingForm
                action={linkFindingAction}
                findingId={finding.id}
                identities={identities}
                suggestedIdentityId={identities.find((identity) => identity.id === finding.sameNameIdentity?.id)?.id}
                truncated={identities.length >= LINKABLE_IDENTITIES_LIMIT}
              />
            </section>
          ) : null}
          {writes && open && mayDismiss && !finding.pendingRequest ? (
            <section aria-labelledby="dismiss-heading" className="space-y-2">
              <h3 id="dismiss-heading" className="text-xs font-medium text-slate-600">
                {decidable ? "Or dismiss it" : "Dismiss it"}
              </h3>
              <DismissFindingForm action={dismissFindingAction} findingId={finding.id} />
            </section>
          ) : null}
        </div>

        <div className="space-y-4">
          <section aria-labelledby="decision-heading" className={sectionClass}>
            <h2 id="decision-heading" className="mb-2 text-sm font-semibold text-slate-700">
              Decision
            </h2>
            <FindingStatusBadges status={finding.status} gone={finding.gone} beyondGrants={finding.beyondGrants} />
            {finding.identity ? (
              <p className="mt-2">
                {finding.status === "REGISTERED" ? "Registered as " : "Linked to "}
                <Link href={`/inventory/${finding.identity.id}`} className="font-medium text-sky-700 hover:underline">
                  {finding.identity.name}
                </Link>{" "}
                <IdentityStatusBadge status={finding.identity.status} />
              </p>
            ) : null}
            {finding.beyondGrants.length > 0 ? (
              <p role="note" className="mt-2 rounded border border-red-200 bg-red-50 px-2 py-1 text-red-800">
                A scan found {finding.beyondGrants.map((permission) => PERMISSION_LABELS[permission].toUpperCase()).join(", ")} beyond its
                grants on {finding.repository}
                {finding.flaggedAt ? (
                  <>
                    {" "}
                    (flagged <LocalTime iso={finding.flaggedAt.toISOString()} />)
                  </>
                ) : null}
                .
              </p>
            ) : null}
            {finding.status === "DISMISSED" ? (
              <p className="mt-2">
                Dismissed{finding.decidedBy ? ` by ${finding.decidedBy}` : ""}
                {finding.decidedAt ? (
                  <>
                    {" "}
                    on <LocalTime iso={finding.decidedAt.toISOString()} />
                  </>
                ) : null}
                : {finding.dismissReason}
              </p>
            ) : finding.decidedAt && finding.decidedBy ? (
              <p className="mt-1 text-xs text-slate-600">
                By {finding.decidedBy}, <LocalTime iso={finding.decidedAt.toISOString()} />
              </p>
            ) : null}
            {finding.pendingRequest ? (
              <p className="mt-2 text-amber-800">
                Registration waits for approval:{" "}
                <Link href={`/approvals/${finding.pendingRequest.id}`} className="underline">
                  {finding.pendingRequest.summary}
                </Link>
              </p>
            ) : null}
            {open && finding.gone && !mayDismiss ? (
              <p className="mt-2 text-slate-600">The latest scan no longer found it; a security lead may dismiss it.</p>
            ) : null}
            {!writes && open ? <p className="mt-2 text-slate-600">You may read this finding; deciding it needs write access.</p> : null}
            {finding.status === "DISMISSED" && writes && mayDismiss ? (
              <div className="mt-3">
                <ReopenFindingForm action={reopenFindingAction} findingId={finding.id} />
              </div>
            ) : null}
          </section>

          <section aria-labelledby="repository-heading" className={sectionClass}>
            <h2 id="repository-heading" className="mb-2 text-sm font-semibold text-slate-700">
              Repository
            </h2>
            <dl className={dlClass}>
              <dt className="text-slate-500">Name</dt>
              <dd>{repositoryLabel}</dd>
              <dt className="text-slate-500">Team</dt>
              <dd data-testid="repository-team">
                {finding.team ? finding.team.name : "None: only security leads, admins and auditors see its findings"}
              </dd>
            </dl>
            {mayMove ? (
              <div className="mt-3">
                <MoveRepositoryForm action={moveRepositoryAction} repositoryId={finding.repositoryId} teams={otherTeams} />
              </div>
            ) : null}
          </section>

          <section aria-labelledby="scans-heading" className={sectionClass}>
            <h2 id="scans-heading" className="mb-2 text-sm font-semibold text-slate-700">
              Recent scans of {finding.repository}
            </h2>
            {finding.recentScans.length === 0 ? (
              <p className="text-slate-600">None.</p>
            ) : (
              <ul className="space-y-1.5">
                {finding.recentScans.map((scan) => (
                  <li key={scan.id}>
                    <LocalTime iso={scan.submittedAt.toISOString()} />
                    <div className="text-xs text-slate-600">
                      {scan.findingsTotal} found, {scan.findingsNew} new, {scan.findingsGone} gone · {scan.scanner}
                      {scan.commit ? ` · ${scan.commit.slice(0, 12)}` : ""} · by {scan.submittedBy}
                    </div>
                  </li>
                ))}
              </ul>
            )}
          </section>
        </div>
      </div>
    </>
  );
}
