import { LocalTime } from "@/components/local-time";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { TableFrame, TableHead } from "@/components/ui/table";
import type { ReviewOutcome } from "@/lib/db/generated/enums";
import type { ReviewWithPeople } from "@/lib/reviews/queries";
import { REVIEW_OUTCOME_LABELS, REVIEW_QUESTIONS, REVIEW_STATUS_LABELS, REVIEW_TRIGGER_LABELS } from "@/lib/reviews/labels";

const OUTCOME_TONE: Record<ReviewOutcome, BadgeTone> = { KEEP: "green", REDUCE: "amber", RETIRE: "neutral" };

function personName(person: { name: string | null; email: string } | null): string {
  return person ? (person.name ?? person.email) : "Warrant";
}

/** The answers that were "no", which is what a reader of a review looks for. */
function noAnswers(review: ReviewWithPeople): string {
  const no = REVIEW_QUESTIONS.filter((question) => review[question.name] === false).map((question) => question.question);
  return no.length === 0 ? "All yes" : `No: ${no.join(" ")}`;
}

/** What the open review asks and by when. */
export function OpenReviewSummary({ review, now }: { review: ReviewWithPeople; now: Date }) {
  const overdue = review.dueAt < now;
  return (
    <div className="rounded-md border border-slate-200 bg-white p-3 text-sm">
      <p>
        <Badge tone={overdue ? "red" : "blue"}>{overdue ? "Review overdue" : "Review open"}</Badge> due{" "}
        <LocalTime iso={review.dueAt.toISOString()} />, {REVIEW_TRIGGER_LABELS[review.trigger]}
        {review.openedBy ? ` by ${personName(review.openedBy)}` : ""} on <LocalTime iso={review.openedAt.toISOString()} />.
      </p>
      {review.reason ? <p className="mt-1 text-slate-700">Reason: {review.reason}</p> : null}
    </div>
  );
}

/** Past reviews: who attested what, and the outcome. */
export function ReviewHistory({ reviews }: { reviews: ReviewWithPeople[] }) {
  if (reviews.length === 0) return <p className="text-sm text-slate-600">No past reviews.</p>;
  return (
    <TableFrame label="Past reviews">
      <TableHead>
        <th scope="col" className="px-3 py-2">
          Opened
        </th>
        <th scope="col" className="px-3 py-2">
          Closed
        </th>
        <th scope="col" className="px-3 py-2">
          Result
        </th>
        <th scope="col" className="px-3 py-2">
          Attested by
        </th>
        <th scope="col" className="px-3 py-2">
          Answers
        </th>
        <th scope="col" className="px-3 py-2">
          Comment
        </th>
      </TableHead>
      <tbody className="divide-y divide-slate-100">
        {reviews.map((review) => (
          <tr key={review.id}>
            <td className="whitespace-nowrap px-3 py-2">
              <LocalTime iso={review.openedAt.toISOString()} />
            </td>
            <td className="whitespace-nowrap px-3 py-2">{review.closedAt ? <LocalTime iso={review.closedAt.toISOString()} /> : "—"}</td>
            <td className="px-3 py-2">
              {review.outcome ? (
                <Badge tone={OUTCOME_TONE[review.outcome]}>{REVIEW_OUTCOME_LABELS[review.outcome]}</Badge>
              ) : (
                <Badge>{REVIEW_STATUS_LABELS[review.status]}</Badge>
              )}
            </td>
            <td className="px-3 py-2">{review.attestedBy ? personName(review.attestedBy) : "—"}</td>
            <td className="px-3 py-2 text-xs">{review.status === "COMPLETED" ? noAnswers(review) : "—"}</td>
            <td className="px-3 py-2 text-xs">{review.comment ?? ""}</td>
          </tr>
        ))}
      </tbody>
    </TableFrame>
  );
}
