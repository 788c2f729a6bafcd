import Link from "next/link";
import { LocalTime } from "@/components/local-time";
import { TableFrame, TableHead } from "@/components/ui/table";
import { ACTION_LABELS } from "@/lib/policy/decision-labels";
import type { ReplayResult } from "@/lib/policy/replay";
import { DecisionOutcomeBadge } from "./decision-outcome-badge";

// A replay of a version that is not active against the recorded decisions:
// the counts, then decision by decision what would change. The page lists the
// first SHOWN changes; GET /api/v1/policies/{id}/replay lists them all.

const SHOWN = 200;
const DAY_CHOICES = [1, 7, 30, 90];

export function ReplayResultView({
  result,
  maxDecisions,
  windowForm = true,
}: {
  result: ReplayResult;
  maxDecisions: number;
  /** The Policies page lets the reader pick the window; elsewhere a link leads there. */
  windowForm?: boolean;
}) {
  const { version } = result;
  return (
    <section aria-labelledby="replay-heading" className="mb-6 space-y-2" data-testid="replay">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 id="replay-heading" className="text-sm font-semibold text-slate-700">
          What version {version.number} would change
        </h2>
        {windowForm ? (
          <form method="get" action="/policies" className="flex items-center gap-2 text-sm" aria-label="Replay window">
            <input type="hidden" name="version" value={version.id} />
            <label className="text-xs font-medium text-slate-700">
              Replay the last{" "}
              <select
                name="days"
                defaultValue={String(result.days)}
                className="rounded border border-slate-300 bg-white px-1 py-0.5 text-sm"
              >
                {[...new Set([...DAY_CHOICES, result.days])]
                  .sort((a, b) => a - b)
                  .map((days) => (
                    <option key={days} value={days}>
                      {days} {days === 1 ? "day" : "days"}
                    </option>
                  ))}
              </select>
            </label>
            <button type="submit" className="rounded px-2 py-0.5 text-sm ring-1 ring-slate-300 ring-inset hover:bg-slate-50">
              Replay
            </button>
          </form>
        ) : (
          <Link href={`/policies?version=${version.id}`} className="text-sm text-sky-700 hover:underline">
            Version {version.number} on the Policies page
          </Link>
        )}
      </div>
      <p className="text-sm text-slate-700" data-testid="replay-summary">
        Replayed {result.replayed.toLocaleString("en")} recorded {result.replayed === 1 ? "decision" : "decisions"} since{" "}
        <LocalTime iso={result.since.toISOString()} />:{" "}
        <strong>{result.changed === 0 ? "none would change" : `${result.changed.toLocaleString("en")} would change`}</strong>
        {Object.entries(result.transitions).map(([transition, count]) => (
          <span key={transition} className="ml-2 rounded bg-slate-100 px-1.5 py-0.5 text-xs">
            {transition}: {count}
          </span>
        ))}
        .
      </p>
      {result.capped ? (
        <p className="text-xs text-amber-800">
          The window holds more than {maxDecisions.toLocaleString("en")} decisions: only the newest {maxDecisions.toLocaleString("en")} were
          replayed.
        </p>
      ) : null}
      {result.skipped > 0 ? (
        <p className="text-xs text-slate-600">
          {result.skipped.toLocaleString("en")} older {result.skipped === 1 ? "decision was" : "decisions were"} stored without the request
          they judged and could not be replayed.
        </p>
      ) : null}
      {result.changes.length > 0 ? (
        <TableFrame label={`Decisions version ${version.number} would change`}>
          <TableHead>
            <th scope="col" className="px-3 py-2 font-medium">
              Time
            </th>
            <th scope="col" className="px-3 py-2 font-medium">
              Identity
            </th>
            <th scope="col" className="px-3 py-2 font-medium">
              Request
            </th>
            <th scope="col" className="px-3 py-2 font-medium">
              Before → after
            </th>
            <th scope="col" className="px-3 py-2 font-medium">
              Would decide
            </th>
          </TableHead>
          <tbody className="divide-y divide-slate-100">
            {result.changes.slice(0, SHOWN).map(({ decision, before, after }) => (
              <tr key={decision.id}>
                <td className="px-3 py-1.5 whitespace-nowrap">
                  <Link href={`/decisions/${decision.id}`} className="text-sky-700 hover:underline">
                    <LocalTime iso={decision.createdAt.toISOString()} />
                  </Link>
                </td>
                <td className="px-3 py-1.5">{decision.identity.name}</td>
                <td className="px-3 py-1.5">
                  {ACTION_LABELS[decision.action] ?? decision.action}{" "}
                  {decision.resource.type === "Tool" ? <code>{decision.resource.id}</code> : (decision.resource.name ?? "a deleted system")}
                </td>
                <td className="px-3 py-1.5 whitespace-nowrap">
                  <DecisionOutcomeBadge outcome={before.outcome} /> → <DecisionOutcomeBadge outcome={after.outcome} />
                </td>
                <td className="px-3 py-1.5 text-xs">
                  {after.policyIds.map((id) => (
                    <code key={id} className="mr-1">
                      {id}
                    </code>
                  ))}
                  <div className="text-slate-600">{after.reasons.join(" ")}</div>
                </td>
              </tr>
            ))}
          </tbody>
        </TableFrame>
      ) : null}
      {result.changes.length > SHOWN ? (
        <p className="text-xs text-slate-600">
          The first {SHOWN} of {result.changes.length.toLocaleString("en")} are shown; <code>GET /api/v1/policies/{version.id}/replay</code>{" "}
          lists them all.
        </p>
      ) : null}
    </section>
  );
}
