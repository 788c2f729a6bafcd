import Link from "next/link";
import { notFound } from "next/navigation";
import { AddCredentialForm, IssueAgentTokenForm } from "@/components/inventory/credential-forms";
import { CredentialsTable } from "@/components/inventory/credentials-table";
import { AddGrantForm } from "@/components/inventory/grant-forms";
import { GrantsTable } from "@/components/inventory/grants-table";
import { IdentitySummary } from "@/components/inventory/identity-summary";
import { IdentityTimeline } from "@/components/inventory/identity-timeline";
import { RecentDecisions } from "@/components/policies/recent-decisions";
import { InventoryLinks } from "@/components/inventory/inventory-links";
import { StatusChangeForm } from "@/components/inventory/status-change-form";
import { Footprints } from "@/components/discovery/footprints";
import { footprintsOf } from "@/lib/discovery/queries";
import { IdentityActivity } from "@/components/events/identity-activity";
import { AttestReviewForm } from "@/components/reviews/attest-review-form";
import { OpenReviewForm } from "@/components/reviews/open-review-form";
import { ReviewFlash } from "@/components/reviews/review-flash";
import { ChangesSinceAttestation, HandoverNotice } from "@/components/reviews/review-changes";
import { OpenReviewSummary, ReviewHistory } from "@/components/reviews/review-history";
import { PageHeader } from "@/components/ui/page-header";
import { can } from "@/lib/auth/actor";
import { requirePermission } from "@/lib/auth/session";
import { prisma } from "@/lib/db/client";
import { findIdentity, identityPermissions, listSystemOptions, loadIdentityDetail } from "@/lib/inventory/identity-detail";
import { ENVIRONMENT_LABELS, KIND_LABELS, PERMISSION_LABELS } from "@/lib/inventory/labels";
import { findIdentityReviews } from "@/lib/reviews/queries";
import { findIdentityActivity } from "@/lib/events/list";
import { toActivityTableRow } from "@/lib/events/view";
import { leadsAttestFor, mayAttestReview } from "@/lib/reviews/reviews";
import { handedOverAt } from "@/lib/reviews/change";
import { changesSinceLastAttestation } from "@/lib/reviews/changes-since";
import { REVIEW_STATUS_LABELS, reviewPath } from "@/lib/reviews/labels";
import { readPageParams } from "@/lib/validation/page-params";
import {
  createCredentialAction,
  issueAgentTokenAction,
  createGrantAction,
  activateIdentityAction,
  reactivateIdentityAction,
  retireIdentityAction,
  revokeCredentialAction,
  revokeGrantAction,
  rotateCredentialAction,
  suspendIdentityAction,
} from "./actions";
import { attestReviewAction, openReviewAction } from "@/app/(app)/tasks/actions";

export async function generateMetadata({ params }: { params: Promise<{ id: string }> }) {
  const identity = await findIdentity(prisma, (await readPageParams(params)).id);
  return { title: identity?.name ?? "Identity not found" };
}

function grantLabel(grant: { permission: keyof typeof PERMISSION_LABELS; system: { name: string } }): string {
  return `${PERMISSION_LABELS[grant.permission]} on ${grant.system.name}`;
}

export default async function IdentityPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams?: Promise<Record<string, string | string[] | undefined>>;
}) {
  const actor = await requirePermission("inventory:read");
  const { id } = await readPageParams(params);
  // ?review=<id>: a link to one review (task lists, notices, email); see reviewPath.
  const followedId = (await searchParams)?.review;
  const identity = await loadIdentityDetail(prisma, id);
  if (!identity) notFound();
  const may = identityPermissions(actor, identity);
  const [systems, reviews, activity, diff, footprints] = await Promise.all([
    may.addGrant ? listSystemOptions(prisma) : [],
    findIdentityReviews(prisma, identity.id),
    findIdentityActivity(prisma, identity.id),
    changesSinceLastAttestation(prisma, identity.id),
    footprintsOf(prisma, identity.id),
  ]);
  const now = new Date();
  const attestable = { ...identity, backupOwnerActive: identity.backupOwner?.active ?? false };
  const ownerName = identity.owner.name ?? identity.owner.email;
  const followed = typeof followedId === "string" && followedId !== reviews.open?.id ? followedId : undefined;
  const followedPast = followed ? reviews.history.find((review) => review.id === followed) : undefined;

  return (
    <>
      <PageHeader
        title={identity.name}
        description={`${KIND_LABELS[identity.kind]} in ${ENVIRONMENT_LABELS[identity.environment].toLowerCase()}${identity.product ? ` · ${identity.product}` : ""}`}
        actions={
          <>
            {may.edit ? (
              <Link
                href={`/inventory/${identity.id}/edit`}
                className="rounded px-2.5 py-1 text-sm font-medium text-slate-800 ring-1 ring-slate-300 ring-inset hover:bg-slate-50"
              >
                Edit
              </Link>
            ) : null}
            <InventoryLinks register={can(actor, "inventory:write")} />
          </>
        }
      />

      <IdentitySummary identity={identity} />

      {reviews.open?.handoverFrom ? (
        <HandoverNotice
          from={reviews.open.handoverFrom.name ?? reviews.open.handoverFrom.email}
          to={ownerName}
          at={handedOverAt(reviews.open)}
          dueAt={reviews.open.dueAt}
          href={reviewPath(reviews.open)}
        />
      ) : null}

      {may.statusChanges.length > 0 ? (
        <section aria-labelledby="status-heading" className="mb-6">
          <h2 id="status-heading" className="mb-2 text-sm font-semibold text-slate-700">
            Status
          </h2>
          <StatusChangeForm
            identityId={identity.id}
            changes={may.statusChanges}
            actions={{
              activate: activateIdentityAction,
              suspend: suspendIdentityAction,
              reactivate: reactivateIdentityAction,
              retire: retireIdentityAction,
            }}
          />
        </section>
      ) : null}

      <section aria-labelledby="review-heading" className="mb-6 space-y-3">
        <h2 id="review-heading" className="text-sm font-semibold text-slate-700">
          Review
        </h2>
        <ReviewFlash>
          {followed ? (
            <p role="status" className="text-sm text-slate-700">
              {followedPast
                ? `The review you followed is ${REVIEW_STATUS_LABELS[followedPast.status].toLowerCase()}; it is listed under past reviews below.`
                : "The review you followed is not one of this identity's."}
            </p>
          ) : null}
          {reviews.open ? (
            <>
              <OpenReviewSummary review={reviews.open} now={now} />
              <ChangesSinceAttestation diff={diff} />
              {mayAttestReview(actor, attestable) ? (
                <AttestReviewForm
                  reviewId={reviews.open.id}
                  grants={identity.grants.filter((grant) => grant.live).map((grant) => ({ id: grant.id, label: grantLabel(grant) }))}
                  action={attestReviewAction}
                />
              ) : (
                <p className="text-sm text-slate-600">
                  {leadsAttestFor(attestable)
                    ? "Waiting for a security lead to attest: it is orphaned and has no active backup owner."
                    : `Waiting for ${ownerName} (owner) or the backup owner to attest.`}
                </p>
              )}
            </>
          ) : may.openReview ? (
            <OpenReviewForm identityId={identity.id} action={openReviewAction} />
          ) : null}
          <ReviewHistory reviews={reviews.history} />
        </ReviewFlash>
      </section>

      <section aria-labelledby="grants-heading" className="mb-6 space-y-3">
        <h2 id="grants-heading" className="text-sm font-semibold text-slate-700">
          Grants
        </h2>
        <GrantsTable grants={identity.grants} revoke={may.manageGrants ? revokeGrantAction : undefined} />
        {may.addGrant ? <AddGrantForm identityId={identity.id} systems={systems} action={createGrantAction} /> : null}
      </section>

      {footprints.length > 0 ? <Footprints footprints={footprints} /> : null}

      <section aria-labelledby="credentials-heading" className="mb-6 space-y-3">
        <h2 id="credentials-heading" className="text-sm font-semibold text-slate-700">
          Credentials
        </h2>
        <CredentialsTable
          credentials={identity.credentials}
          rotate={may.manageCredentials ? rotateCredentialAction : undefined}
          revoke={may.manageCredentials ? revokeCredentialAction : undefined}
        />
        {may.addCredential ? <AddCredentialForm identityId={identity.id} action={createCredentialAction} /> : null}
        {may.addCredential && identity.status === "ACTIVE" ? (
          <IssueAgentTokenForm identityId={identity.id} action={issueAgentTokenAction} />
        ) : null}
      </section>

      {can(actor, "policies:read") ? <RecentDecisions actor={actor} identityId={identity.id} /> : null}
      <IdentityActivity identityId={identity.id} toolCalls={activity.toolCalls.map(toActivityTableRow)} flags={activity.flags} />

      <section aria-labelledby="timeline-heading" className="mb-6">
        <h2 id="timeline-heading" className="mb-2 text-sm font-semibold text-slate-700">
          Timeline
        </h2>
        <IdentityTimeline events={identity.timeline} truncated={identity.timelineTruncated} auditLogLink={can(actor, "audit:read")} />
      </section>
    </>
  );
}
