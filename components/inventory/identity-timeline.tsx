import Link from "next/link";
import { LocalTime } from "@/components/local-time";
import type { IdentityDetail } from "@/lib/inventory/identity-detail";

/** The identity's audit events, newest first, each in a sentence. */
export function IdentityTimeline({
  events,
  truncated,
  auditLogLink,
}: {
  events: IdentityDetail["timeline"];
  truncated: boolean;
  auditLogLink: boolean;
}) {
  if (events.length === 0) return <p className="text-sm text-slate-600">No recorded events yet.</p>;
  return (
    <>
      <ol className="divide-y divide-slate-100 rounded-md border border-slate-200 bg-white" aria-label="Timeline">
        {events.map((event) => (
          <li key={event.seq} className="grid grid-cols-1 gap-x-4 px-3 py-2 text-sm sm:grid-cols-[11rem_1fr]" data-testid="timeline-event">
            <span className="text-xs whitespace-nowrap text-slate-500">
              <LocalTime iso={event.occurredAt.toISOString()} />
            </span>
            <span>
              <span className="text-slate-900">{event.summary}</span>
              <span className="mt-0.5 block text-xs text-slate-500">
                {event.actorLabel} ({event.actorType}) · <span className="font-mono">{event.action}</span> · #{event.seq}
              </span>
            </span>
          </li>
        ))}
      </ol>
      {truncated ? (
        <p className="mt-2 text-xs text-slate-600">
          Older events are in the{" "}
          {auditLogLink ? (
            <Link href="/audit" className="text-sky-700 hover:underline">
              audit log
            </Link>
          ) : (
            "audit log"
          )}
          .
        </p>
      ) : null}
    </>
  );
}
