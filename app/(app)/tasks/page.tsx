import Link from "next/link";
import { LocalTime } from "@/components/local-time";
import { RiskTierBadge } from "@/components/inventory/risk-badge";
import { ReviewTaskList } from "@/components/reviews/review-task-list";
import { IdentityStatusBadge } from "@/components/status-badge";
import { PageHeader } from "@/components/ui/page-header";
import { can } from "@/lib/auth/actor";
import { requireActor } from "@/lib/auth/session";
import { prisma } from "@/lib/db/client";
import { actorUserId, isInventoryManager } from "@/lib/inventory/access";
import { findReviewTasks, openReviewsOwedBySql, orphanReviewsForLeadsSql, overdueReviewsSql } from "@/lib/reviews/queries";
import { attestsForOrphans } from "@/lib/reviews/reviews";
import { orphanedForLabel } from "@/lib/inventory/lifecycle";
import { findIdentitiesPage, parseInventoryQuery } from "@/lib/inventory/query";
import { SENSITIVITY_LABELS } from "@/lib/inventory/labels";
import { listSystemsAwaitingConfirmation } from "@/lib/inventory/systems-overview";
import { listApprovalRequests } from "@/lib/approvals/queries";
import { failuresOwnedBy } from "@/lib/controls/queries";
import { expiringSoonFor } from "@/lib/lifecycle/queries";
import { openFindingCount } from "@/lib/discovery/queries";

export const metadata = { title: "My tasks" };

/** The orphan queue is exactly this inventory view, so the list and the link always agree. */
const ORPHANED_QUERY = "orphaned=1";
/** The inventory view of the identities whose review is overdue: where the overdue list continues. */
const REVIEW_OVERDUE_QUERY = "reviewOverdue=1&sort=nextReviewAt";
// A security lead's queues run to thousands on a large inventory (8,570 overdue reviews, 1,000
// orphans and 4,000 approvals waiting on the bench's): the page shows the first few of each and
// links to the view that pages through them all (the inventory, the approvals inbox). Fifty of each
// made the page 208 KB and its render most of the request; twenty of each, 108 KB.
const ORPHANS_SHOWN = 10;
const OVERDUE_SHOWN = 10;
const APPROVALS_SHOWN = 10;
const REVIEWS_SHOWN = 50;
const SYSTEMS_SHOWN = 50;
const FAILURES_SHOWN = 50;
const EXPIRING_SHOWN = 20;

export default async function Page() {
  const actor = await requireActor();
  const now = new Date();
  const userId = actorUserId(actor);
  const manager = isInventoryManager(actor);
  const [approvals, owed, orphanReviews, overdue, orphans, unconfirmed, failing, expiring, discovered] = await Promise.all([
    listApprovalRequests(prisma, actor, { view: "waiting" }, { limit: APPROVALS_SHOWN }),
    // Attesting is the owners' task; chasing overdue reviews is the security leads'.
    userId && can(actor, "inventory:write") ? findReviewTasks(prisma, openReviewsOwedBySql(userId), REVIEWS_SHOWN) : null,
    // An orphan with no active backup owner has nobody else to attest for it (lib/reviews/reviews.ts leadsAttestFor).
    attestsForOrphans(actor) ? findReviewTasks(prisma, orphanReviewsForLeadsSql(), REVIEWS_SHOWN) : null,
    manager ? findReviewTasks(prisma, overdueReviewsSql(now), OVERDUE_SHOWN) : null,
    // Orphans wait for security leads and admins: they are the ones who may reassign anyone's identity.
    manager ? findIdentitiesPage(prisma, parseInventoryQuery(new URLSearchParams(ORPHANED_QUERY)), 1, ORPHANS_SHOWN) : null,
    // Only leads and admins decide a system's sensitivity; members' proposals wait for them.
    manager ? listSystemsAwaitingConfirmation(prisma, SYSTEMS_SHOWN) : null,
    // What the controls found failing on what this person owns: theirs to fix.
    userId ? failuresOwnedBy(prisma, userId, FAILURES_SHOWN) : null,
    // The expiry warnings' list: what will stop working soon unless someone extends it.
    userId && can(actor, "inventory:write") ? expiringSoonFor(prisma, userId, now, EXPIRING_SHOWN) : null,
    // Footprints a scan found that nobody has registered, linked or dismissed yet.
    can(actor, "inventory:write") ? openFindingCount(prisma, actor) : 0,
  ]);

  return (
    <>
      <PageHeader title="My tasks" description="Reviews you owe and approvals waiting for you." />
      {discovered > 0 ? (
        <p className="mb-4 rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900">
          <Link href="/discovered" className="underline">
            {discovered} discovered footprint{discovered === 1 ? "" : "s"}{" "}
            {manager ? "in the repositories you see" : "in your team's repositories"} {discovered === 1 ? "waits" : "wait"} for a decision
          </Link>
        </p>
      ) : null}
      <section aria-labelledby="approvals-heading" className="mb-6 space-y-2">
        <div className="flex items-baseline justify-between gap-3">
          <h2 id="approvals-heading" className="text-sm font-semibold text-slate-700">
            Approvals waiting for you
          </h2>
          <Link href="/approvals?view=waiting" className="text-sm text-sky-700 hover:underline">
            All approvals →
          </Link>
        </div>
        {approvals.data.length === 0 ? (
          <p className="rounded-md border border-dashed border-slate-300 bg-white p-4 text-sm text-slate-600">
            Nothing waits for your decision.
          </p>
        ) : (
          // Rows share their classes through the list's `*:` variants, as in ReviewTaskList.
          <ul
            aria-label="Approvals waiting for you"
            className="divide-y divide-slate-100 rounded-md border border-slate-200 bg-white text-sm *:flex *:flex-wrap *:items-baseline *:justify-between *:gap-2 *:px-3 *:py-2"
          >
            {approvals.data.map((request) => (
              <li key={request.id}>
                <Link href={`/approvals/${request.id}`} className="font-medium text-sky-700 hover:underline">
                  {request.summary}
                </Link>
                <span className="text-xs text-slate-600">
                  asked by {request.requester.name ?? request.requester.email}
                  {request.waitingForLevel ? ` · level ${request.waitingForLevel.number}: ${request.waitingForLevel.name}` : ""}
                </span>
              </li>
            ))}
            {approvals.nextCursor ? (
              <li className="text-slate-600">
                <span>
                  and more in{" "}
                  <Link href="/approvals?view=waiting" className="text-sky-700 hover:underline">
                    all approvals waiting for you
                  </Link>
                  .
                </span>
              </li>
            ) : null}
          </ul>
        )}
      </section>
      {failing && failing.length > 0 ? (
        <section aria-labelledby="failing-heading" className="mb-6 space-y-2">
          <h2 id="failing-heading" className="text-sm font-semibold text-slate-700">
            Controls failing on what you own
          </h2>
          <ul
            aria-label="Controls failing on what you own"
            className="divide-y divide-slate-100 rounded-md border border-slate-200 bg-white text-sm *:flex *:flex-wrap *:items-baseline *:justify-between *:gap-2 *:px-3 *:py-2"
          >
            {failing.map((failure) => (
              <li key={`${failure.controlKey}:${failure.objectType}:${failure.objectId}`}>
                <span>
                  {failure.objectType === "identity" ? (
                    <Link href={`/inventory/${failure.objectId}`} className="font-medium text-sky-700 hover:underline">
                      {failure.label}
                    </Link>
                  ) : (
                    <span className="font-medium">{failure.label}</span>
                  )}
                  <span className="text-slate-700">: {failure.detail}</span>
                </span>
                <Link href={`/controls/${failure.controlKey}`} className="text-xs text-slate-600 hover:underline">
                  {failure.controlTitle}
                </Link>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {owed ? (
        <ReviewTaskList
          id="owed"
          title="Reviews awaiting your attestation"
          reviews={owed}
          now={now}
          empty="Nothing to attest: no open reviews of identities you own or back up."
        />
      ) : null}
      {expiring && expiring.length > 0 ? (
        <section aria-labelledby="expiring-heading" className="mb-6 space-y-2">
          <h2 id="expiring-heading" className="text-sm font-semibold text-slate-700">
            Expiring within 14 days
          </h2>
          <p className="text-xs text-slate-600">
            On its expiry date an identity&apos;s grants end and its credentials are revoked. Extend the ones still needed.
          </p>
          <ul
            aria-label="Expiring within 14 days"
            className="divide-y divide-slate-100 rounded-md border border-slate-200 bg-white text-sm *:flex *:flex-wrap *:items-center *:gap-3 *:px-3 *:py-2"
          >
            {expiring.map((identity) => (
              <li key={identity.id}>
                <Link href={`/inventory/${identity.id}`} className="font-medium text-sky-700 hover:underline">
                  {identity.name}
                </Link>
                <span className="text-xs text-slate-500">{identity.environment.toLowerCase()}</span>
                <span className="text-xs text-slate-600">
                  expires <LocalTime iso={identity.expiresAt.toISOString()} />
                </span>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {orphanReviews ? (
        <ReviewTaskList
          id="orphan-reviews"
          // Not "orphaned identities": list names match by substring, and that one is the orphan queue's.
          title="Reviews of orphans with no backup owner"
          description="Their owner was deactivated and nobody backs them up, so security leads attest. Reassigning an owner hands the review to them."
          reviews={orphanReviews}
          now={now}
          empty="No orphaned identity without a backup owner has an open review."
          showOwner
        />
      ) : null}
      {overdue ? (
        <ReviewTaskList
          id="overdue"
          title="Overdue reviews"
          description="Open reviews past their due date, across the inventory. Chase the owner, or reassign the identity if they have left."
          reviews={overdue}
          now={now}
          empty="No overdue reviews."
          more={{ href: `/inventory?${REVIEW_OVERDUE_QUERY}`, label: "identities whose review is overdue, in the inventory" }}
          showOwner
        />
      ) : null}
      {orphans ? (
        <section aria-labelledby="orphans-heading" className="mb-6 space-y-2">
          <div className="flex items-baseline justify-between gap-3">
            <h2 id="orphans-heading" className="text-sm font-semibold text-slate-700">
              Orphaned identities <span className="font-normal text-slate-500">({orphans.total})</span>
            </h2>
            <Link href={`/inventory?${ORPHANED_QUERY}`} className="text-sm text-sky-700 hover:underline">
              Open in the inventory to reassign →
            </Link>
          </div>
          <p className="text-xs text-slate-600">Their owner was deactivated. Each stays here until someone is assigned as its owner.</p>
          {orphans.rows.length === 0 ? (
            <p className="rounded-md border border-dashed border-slate-300 bg-white p-4 text-sm text-slate-600">
              No orphaned identities: every identity has an active owner.
            </p>
          ) : (
            <ul
              aria-label="Orphaned identities"
              className="divide-y divide-slate-100 rounded-md border border-slate-200 bg-white text-sm *:flex *:flex-wrap *:items-center *:gap-3 *:px-3 *:py-2"
            >
              {orphans.rows.map((identity) => (
                <li key={identity.id}>
                  <Link href={`/inventory/${identity.id}`} className="font-medium text-sky-700 hover:underline">
                    {identity.name}
                  </Link>
                  <span className="text-xs text-slate-500">{identity.environment.toLowerCase()}</span>
                  <IdentityStatusBadge status={identity.status} />
                  <RiskTierBadge tier={identity.riskTier} />
                  <span className="text-xs text-slate-600">
                    was owned by {identity.owner.name ?? identity.owner.email}
                    {identity.orphanedAt ? (
                      <>
                        , orphaned {orphanedForLabel(identity.orphanedAt, now)} (since <LocalTime iso={identity.orphanedAt.toISOString()} />
                        )
                      </>
                    ) : null}
                  </span>
                </li>
              ))}
              {orphans.total > orphans.rows.length ? (
                <li className="text-slate-600">
                  <span>
                    and {orphans.total - orphans.rows.length} more in the{" "}
                    <Link href={`/inventory?${ORPHANED_QUERY}`} className="text-sky-700 hover:underline">
                      inventory
                    </Link>
                    .
                  </span>
                </li>
              ) : null}
            </ul>
          )}
        </section>
      ) : null}
      {unconfirmed ? (
        <section aria-labelledby="unconfirmed-heading" className="mb-6 space-y-2">
          <div className="flex items-baseline justify-between gap-3">
            <h2 id="unconfirmed-heading" className="text-sm font-semibold text-slate-700">
              Systems awaiting confirmation{" "}
              <span className="font-normal text-slate-500">
                ({unconfirmed.length}
                {unconfirmed.length === SYSTEMS_SHOWN ? "+" : ""})
              </span>
            </h2>
            <Link href="/inventory/systems" className="text-sm text-sky-700 hover:underline">
              Confirm on the systems page →
            </Link>
          </div>
          <p className="text-xs text-slate-600">
            Registered by members with the sensitivity they proposed. Each counts as restricted until you confirm it.
          </p>
          {unconfirmed.length === 0 ? (
            <p className="rounded-md border border-dashed border-slate-300 bg-white p-4 text-sm text-slate-600">
              No system awaits confirmation.
            </p>
          ) : (
            <ul
              aria-label="Systems awaiting confirmation"
              className="divide-y divide-slate-100 rounded-md border border-slate-200 bg-white text-sm *:flex *:flex-wrap *:items-center *:gap-3 *:px-3 *:py-2"
            >
              {unconfirmed.map((system) => (
                <li key={system.id}>
                  <span className="font-medium">{system.name}</span>
                  <span className="text-xs text-slate-500">{system.environment.toLowerCase()}</span>
                  <span className="text-xs text-slate-600">
                    proposed {system.proposedSensitivity ? SENSITIVITY_LABELS[system.proposedSensitivity].toLowerCase() : ""}, registered{" "}
                    <LocalTime iso={system.createdAt.toISOString()} />
                  </span>
                </li>
              ))}
            </ul>
          )}
        </section>
      ) : null}
    </>
  );
}
