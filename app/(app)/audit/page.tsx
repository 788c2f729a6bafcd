import Link from "next/link";
import { LocalTime } from "@/components/local-time";
import { PageHeader } from "@/components/ui/page-header";
import { requirePermission } from "@/lib/auth/session";
import { prisma } from "@/lib/db/client";
import { AUDIT_PAGE_SIZE, listAuditEvents } from "@/lib/audit/queries";
import { TableFrame, TableHead } from "@/components/ui/table";

export const metadata = { title: "Audit log" };

export default async function AuditPage({ searchParams }: { searchParams: Promise<{ before?: string }> }) {
  await requirePermission("audit:read");
  const { before } = await searchParams;
  const beforeSeq = before && /^\d+$/.test(before) ? BigInt(before) : undefined;
  const events = await listAuditEvents(prisma, { beforeSeq });
  const oldest = events.at(-1);

  return (
    <>
      <PageHeader
        title="Audit log"
        description="Append-only and hash-chained: every change, sign-in and decision. Verify the chain with `npm run cli -- audit:verify`."
      />
      <TableFrame empty={events.length === 0 ? "No events yet." : undefined}>
        <TableHead>
          <th scope="col" className="px-3 py-2 font-medium">
            #
          </th>
          <th scope="col" className="px-3 py-2 font-medium">
            When
          </th>
          <th scope="col" className="px-3 py-2 font-medium">
            Actor
          </th>
          <th scope="col" className="px-3 py-2 font-medium">
            Action
          </th>
          <th scope="col" className="px-3 py-2 font-medium">
            Target
          </th>
          <th scope="col" className="px-3 py-2 font-medium">
            Hash
          </th>
        </TableHead>
        <tbody className="divide-y divide-slate-100">
          {events.map((event) => (
            <tr key={event.seq.toString()}>
              <td className="px-3 py-1.5 tabular-nums text-slate-500">{event.seq.toString()}</td>
              <td className="px-3 py-1.5 whitespace-nowrap">
                <LocalTime iso={event.occurredAt.toISOString()} />
              </td>
              <td className="px-3 py-1.5">
                {event.actorLabel} <span className="text-xs text-slate-500">({event.actorType.toLowerCase()})</span>
              </td>
              <td className="px-3 py-1.5 font-mono text-xs">{event.action}</td>
              <td className="px-3 py-1.5 font-mono text-xs text-slate-600">
                {event.targetType ? `${event.targetType}:${event.targetId ?? ""}` : "—"}
              </td>
              <td className="px-3 py-1.5 font-mono text-xs text-slate-500" title={event.hash}>
                {event.hash.slice(0, 12)}
              </td>
            </tr>
          ))}
        </tbody>
      </TableFrame>
      {oldest && events.length === AUDIT_PAGE_SIZE ? (
        <Link href={`/audit?before=${oldest.seq.toString()}`} className="mt-3 inline-block text-sm text-sky-700 hover:underline">
          Older events →
        </Link>
      ) : null}
    </>
  );
}
