import Link from "next/link";
import { LocalTime } from "@/components/local-time";
import { Badge } from "@/components/ui/badge";
import { TableFrame, TableHead } from "@/components/ui/table";
import { ACTIVITY_FLAG_LABELS } from "@/lib/events/labels";
import { activityHref, type RecentFlag } from "@/lib/events/list";
import type { ActivityTableRow } from "@/lib/events/view";

// The identity page's view of its activity: its newest tool calls and flags,
// each linking to the Activity log filtered to this identity for the rest.

const th = "px-3 py-2 font-medium";
const td = "px-3 py-2 align-top";

export function IdentityActivity({
  identityId,
  toolCalls,
  flags,
}: {
  identityId: string;
  toolCalls: ActivityTableRow[];
  flags: RecentFlag[];
}) {
  return (
    <>
      <section aria-labelledby="tool-calls-heading" className="mb-6 space-y-2">
        <div className="flex items-baseline justify-between">
          <h2 id="tool-calls-heading" className="text-sm font-semibold text-slate-700">
            Recent tool calls
          </h2>
          <Link href={activityHref({ identity: identityId, kind: "TOOL_CALL" })} className="text-sm text-sky-700 hover:underline">
            All of its activity
          </Link>
        </div>
        <TableFrame label="Recent tool calls" empty={toolCalls.length === 0 ? "No tool calls reported." : undefined}>
          <TableHead>
            <th scope="col" className={th}>
              When
            </th>
            <th scope="col" className={th}>
              Tool
            </th>
            <th scope="col" className={th}>
              Result
            </th>
            <th scope="col" className={th}>
              Flags
            </th>
          </TableHead>
          <tbody className="divide-y divide-slate-100">
            {toolCalls.map((call) => (
              <tr key={call.seq}>
                <td className={`${td} whitespace-nowrap`}>
                  <LocalTime iso={call.occurredAt} />
                </td>
                <td className={`${td} font-mono text-xs`}>{call.what}</td>
                <td className={td}>{call.result ?? "—"}</td>
                <td className={td}>
                  {call.flags.length === 0
                    ? "—"
                    : call.flags.map((flag) => (
                        <span key={flag.kind} className="mr-1">
                          <Badge tone="red">{flag.label}</Badge>
                        </span>
                      ))}
                </td>
              </tr>
            ))}
          </tbody>
        </TableFrame>
      </section>

      <section aria-labelledby="flags-heading" className="mb-6 space-y-2">
        <div className="flex items-baseline justify-between">
          <h2 id="flags-heading" className="text-sm font-semibold text-slate-700">
            Flags
          </h2>
          <Link href={activityHref({ identity: identityId, flagged: "1" })} className="text-sm text-sky-700 hover:underline">
            All flagged events
          </Link>
        </div>
        <TableFrame label="Flags" empty={flags.length === 0 ? "No flags raised." : undefined}>
          <TableHead>
            <th scope="col" className={th}>
              When
            </th>
            <th scope="col" className={th}>
              Flag
            </th>
            <th scope="col" className={th}>
              Why
            </th>
          </TableHead>
          <tbody className="divide-y divide-slate-100">
            {flags.map((flag) => (
              <tr key={`${flag.eventSeq}-${flag.kind}`}>
                <td className={`${td} whitespace-nowrap`}>
                  <LocalTime iso={flag.occurredAt.toISOString()} />
                  <div className="text-xs text-slate-500">event #{flag.eventSeq}</div>
                </td>
                <td className={td}>
                  <Badge tone="red">{ACTIVITY_FLAG_LABELS[flag.kind]}</Badge>
                </td>
                <td className={`${td} text-slate-700`}>{flag.reason}</td>
              </tr>
            ))}
          </tbody>
        </TableFrame>
      </section>
    </>
  );
}
