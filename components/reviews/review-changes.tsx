import Link from "next/link";
import { LocalTime } from "@/components/local-time";
import type { AttestationDiff } from "@/lib/reviews/changes-since";

/**
 * A new owner's task, said plainly on the identity's page until they attest:
 * who handed it over, when, and what they are asked to confirm by when.
 */
export function HandoverNotice({ from, to, at, dueAt, href }: { from: string; to: string; at: Date; dueAt: Date; href: string }) {
  return (
    <div
      role="note"
      data-testid="handover-notice"
      className="mb-4 rounded-md border border-sky-300 bg-sky-50 px-3 py-2 text-sm text-sky-950"
    >
      <strong className="font-semibold">Handed over</strong> by {from} on <LocalTime iso={at.toISOString()} />. {to} is asked to confirm
      that it is still needed, its purpose is unchanged, its access is the least it needs and its credentials are rotated, by{" "}
      <LocalTime iso={dueAt.toISOString()} />.{" "}
      <Link href={href} className="font-medium text-sky-800 underline">
        Open the review
      </Link>
    </div>
  );
}

/** What changed since the last attestation, from the audit log: one line per change, oldest first. */
export function ChangesSinceAttestation({ diff }: { diff: AttestationDiff }) {
  const since = diff.since ? (
    <>
      since the last attestation (<LocalTime iso={diff.since} />)
    </>
  ) : (
    "since it was registered (never attested)"
  );
  return (
    <section aria-labelledby="changes-since-heading" className="rounded-md border border-slate-200 bg-white p-3 text-sm">
      <h3 id="changes-since-heading" className="text-sm font-semibold">
        What changed {since}
      </h3>
      {diff.rows.length === 0 ? (
        <p className="mt-1 text-slate-600">Nothing has changed.</p>
      ) : (
        <ul aria-label="Changes since the last attestation" className="mt-1 space-y-0.5 text-slate-800">
          {diff.rows.map((row, index) => (
            <li key={index} className="flex flex-wrap items-baseline gap-x-2">
              <span className="text-xs whitespace-nowrap text-slate-500">
                <LocalTime iso={row.at} />
              </span>
              <span>
                <span className="font-medium">{row.what}</span>
                {row.from !== null || row.to !== null ? (
                  <>
                    : {row.from ?? "—"} → {row.to ?? "—"}
                  </>
                ) : null}
              </span>
              <span className="text-xs text-slate-500">by {row.by}</span>
            </li>
          ))}
        </ul>
      )}
      {diff.truncated ? <p className="mt-1 text-xs text-slate-600">More changes than shown: the timeline below lists them all.</p> : null}
    </section>
  );
}
