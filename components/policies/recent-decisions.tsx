import Link from "next/link";
import { LocalTime } from "@/components/local-time";
import { TableFrame, TableHead } from "@/components/ui/table";
import type { Actor } from "@/lib/auth/actor";
import { prisma } from "@/lib/db/client";
import { ACTION_LABELS } from "@/lib/policy/decision-labels";
import { recentDecisionsOf } from "@/lib/policy/decisions";
import { DecisionOutcomeBadge } from "./decision-outcome-badge";

// The identity page's "Recent decisions": its newest 20, and a link to the
// whole log filtered to it. A section of its own (it reads its own rows) so the
// identity page gains one line.

const SHOWN = 20;

export async function RecentDecisions({ actor, identityId }: { actor: Actor; identityId: string }) {
  const decisions = await recentDecisionsOf(prisma, actor, identityId, SHOWN);
  return (
    <section aria-labelledby="decisions-heading" className="mb-6 space-y-2">
      <div className="flex items-baseline justify-between">
        <h2 id="decisions-heading" className="text-sm font-semibold text-slate-700">
          Recent decisions
        </h2>
        <Link href={`/decisions?identity=${encodeURIComponent(identityId)}`} className="text-sm text-sky-700 hover:underline">
          All decisions of this identity
        </Link>
      </div>
      <TableFrame
        label="Recent decisions"
        empty={decisions.length === 0 ? "No runtime decisions yet: this identity has not asked Warrant before acting." : undefined}
      >
        <TableHead>
          <th scope="col" className="px-3 py-2 font-medium">
            Time
          </th>
          <th scope="col" className="px-3 py-2 font-medium">
            Action
          </th>
          <th scope="col" className="px-3 py-2 font-medium">
            Resource
          </th>
          <th scope="col" className="px-3 py-2 font-medium">
            Outcome
          </th>
          <th scope="col" className="px-3 py-2 font-medium">
            Why
          </th>
        </TableHead>
        <tbody className="divide-y divide-slate-100">
          {decisions.map((decision) => (
            <tr key={decision.id}>
              <td className="px-3 py-1.5 whitespace-nowrap">
                <Link href={`/decisions/${decision.id}`} className="text-sky-700 hover:underline">
                  <LocalTime iso={decision.createdAt.toISOString()} />
                </Link>
              </td>
              <td className="px-3 py-1.5">{ACTION_LABELS[decision.action] ?? decision.action}</td>
              <td className="px-3 py-1.5">
                {decision.resource.type === "Tool" ? <code>{decision.resource.id}</code> : (decision.resource.name ?? "a deleted system")}
              </td>
              <td className="px-3 py-1.5">
                <DecisionOutcomeBadge outcome={decision.outcome} />
              </td>
              <td className="px-3 py-1.5 text-xs text-slate-700">{decision.reasons.join(" ")}</td>
            </tr>
          ))}
        </tbody>
      </TableFrame>
    </section>
  );
}
