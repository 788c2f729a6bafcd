import Link from "next/link";
import { RiskTierBadge } from "@/components/inventory/risk-badge";
import { LocalTime } from "@/components/local-time";
import { Badge } from "@/components/ui/badge";
import { orphanedForLabel } from "@/lib/inventory/lifecycle";
import type { ReviewTask } from "@/lib/reviews/queries";
import { REVIEW_TRIGGER_LABELS, reviewPath } from "@/lib/reviews/labels";

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
  reviews: { rows: ReviewTask[]; total: number };
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
        // The rows' shared classes sit once on the list: a large queue repeats them in the HTML and again in the RSC payload.
        <ul
          aria-label={title}
          className="divide-y divide-slate-100 rounded-md border border-slate-200 bg-white text-sm *:flex *:flex-wrap *:items-center *:gap-3 *:px-3 *:py-2"
        >
          {reviews.rows.map((review) => (
            <li key={review.id}>
              <Link href={reviewPath(review)} className="font-medium text-sky-700 hover:underline">
                {review.identityName}
              </Link>
              <span className="text-xs text-slate-500">{review.environment.toLowerCase()}</span>
              <RiskTierBadge tier={review.riskTier} />
              {Date.parse(review.dueAt) < now.getTime() ? <Badge tone="red">Overdue</Badge> : null}
              <span className="text-xs text-slate-600">
                due <LocalTime iso={review.dueAt} /> · {REVIEW_TRIGGER_LABELS[review.trigger]}
                {showOwner ? ` · owner ${review.ownerLabel}` : ""}
                {review.orphanedAt ? ` · orphaned ${orphanedForLabel(new Date(review.orphanedAt), now)}` : ""}
                {review.reason ? ` · ${review.reason}` : ""}
              </span>
            </li>
          ))}
          {reviews.total > reviews.rows.length ? (
            // One span: the list's rows are flex boxes, which would space out this sentence's words and link.
            <li className="text-slate-600">
              <span>
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
              </span>
            </li>
          ) : null}
        </ul>
      )}
    </section>
  );
}
