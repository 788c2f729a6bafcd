import Link from "next/link";
import { RiskTierBadge } from "@/components/inventory/risk-badge";
import { LocalTime } from "@/components/local-time";
import { Badge } from "@/components/ui/badge";
import type { ReviewWithPeople } from "@/lib/reviews/queries";
import { REVIEW_TRIGGER_LABELS } from "@/lib/reviews/labels";

/** A list of open reviews, soonest due first, each linking to the identity page where it is attested. */
export function ReviewTaskList({
  id,
  title,
  description,
  reviews,
  now,
  empty,
  showOwner = false,
  more,
}: {
  id: string;
  title: string;
  description?: string;
  reviews: { rows: ReviewWithPeople[]; total: number };
  now: Date;
  empty: string;
  showOwner?: boolean;
  /** Where the rest of the list can be seen, when it holds more than is shown. */
  more?: { href: string; label: string };
}) {
  const headingId = `${id}-heading`;
  return (
    <section aria-labelledby={headingId} className="mb-6 space-y-2">
      <h2 id={headingId} className="text-sm font-semibold text-slate-700">
        {title} <span className="font-normal text-slate-500">({reviews.total})</span>
      </h2>
      {description ? <p className="text-xs text-slate-600">{description}</p> : null}
      {reviews.rows.length === 0 ? (
        <p className="rounded-md border border-dashed border-slate-300 bg-white p-4 text-sm text-slate-600">{empty}</p>
      ) : (
        <ul aria-label={title} className="divide-y divide-slate-100 rounded-md border border-slate-200 bg-white">
          {reviews.rows.map((review) => (
            <li key={review.id} className="flex flex-wrap items-center gap-3 px-3 py-2 text-sm">
              <Link href={`/inventory/${review.identity.id}#review-heading`} className="font-medium text-sky-700 hover:underline">
                {review.identity.name}
              </Link>
              <span className="text-xs text-slate-500">{review.identity.environment.toLowerCase()}</span>
              <RiskTierBadge tier={review.identity.riskTier} />
              {review.dueAt < now ? <Badge tone="red">Overdue</Badge> : null}
              <span className="text-xs text-slate-600">
                due <LocalTime iso={review.dueAt.toISOString()} /> · {REVIEW_TRIGGER_LABELS[review.trigger]}
                {showOwner ? ` · owner ${review.identity.owner.name ?? review.identity.owner.email}` : ""}
                {review.reason ? ` · ${review.reason}` : ""}
              </span>
            </li>
          ))}
          {reviews.total > reviews.rows.length ? (
            <li className="px-3 py-2 text-sm text-slate-600">
              and {reviews.total - reviews.rows.length} more
              {more ? (
                <>
                  :{" "}
                  <Link href={more.href} className="text-sky-700 hover:underline">
                    all {more.label}
                  </Link>
                </>
              ) : null}
              .
            </li>
          ) : null}
        </ul>
      )}
    </section>
  );
}
