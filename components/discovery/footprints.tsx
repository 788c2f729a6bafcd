import Link from "next/link";
import { LocalTime } from "@/components/local-time";
import { TableFrame, TableHead } from "@/components/ui/table";
import type { FindingSummary } from "@/lib/discovery/queries";
import { FindingStatusBadges } from "./finding-badges";

// An identity's footprints: where scans found the tool it was registered as or
// linked to, and whether a scan saw it reach beyond its grants.

export function Footprints({ footprints }: { footprints: FindingSummary[] }) {
  const beyond = footprints.filter((footprint) => footprint.beyondGrants.length > 0 && !footprint.gone);
  return (
    <section aria-labelledby="footprints-heading" className="mb-6 space-y-2">
      <h2 id="footprints-heading" className="text-sm font-semibold text-slate-700">
        Footprints
      </h2>
      {beyond.map((footprint) => (
        <p key={footprint.id} role="note" className="rounded border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">
          A scan found {footprint.beyondGrants.join(", ")} beyond its grants in {footprint.repository} ({footprint.file}).
        </p>
      ))}
      <TableFrame label="Footprints">
        <TableHead>
          <th scope="col" className="px-3 py-2 font-medium">
            Repository
          </th>
          <th scope="col" className="px-3 py-2 font-medium">
            File
          </th>
          <th scope="col" className="px-3 py-2 font-medium">
            Tool
          </th>
          <th scope="col" className="px-3 py-2 font-medium">
            Status
          </th>
          <th scope="col" className="px-3 py-2 font-medium">
            Last seen
          </th>
        </TableHead>
        <tbody className="divide-y divide-slate-100">
          {footprints.map((footprint) => (
            <tr key={footprint.id}>
              <td className="px-3 py-2">
                {footprint.repository} <span className="text-xs text-slate-500">({footprint.environment})</span>
              </td>
              <td className="px-3 py-2 font-mono text-xs">
                <Link href={`/discovered/${footprint.id}`} className="text-sky-700 hover:underline">
                  {footprint.file}:{footprint.line}
                </Link>
              </td>
              <td className="px-3 py-2">{footprint.tool}</td>
              <td className="px-3 py-2">
                <FindingStatusBadges status={footprint.status} gone={footprint.gone} beyondGrants={footprint.beyondGrants} />
              </td>
              <td className="px-3 py-2 whitespace-nowrap">
                <LocalTime iso={footprint.lastSeenAt.toISOString()} />
              </td>
            </tr>
          ))}
        </tbody>
      </TableFrame>
    </section>
  );
}
