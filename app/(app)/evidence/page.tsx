import { RefreshWhileBuilding, RequestPackageForm } from "@/components/evidence/evidence-forms";
import { LocalTime } from "@/components/local-time";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { PageHeader } from "@/components/ui/page-header";
import { TableFrame, TableHead } from "@/components/ui/table";
import { requirePermission } from "@/lib/auth/session";
import { listFrameworks } from "@/lib/controls/frameworks";
import { prisma } from "@/lib/db/client";
import type { EvidencePackageStatus } from "@/lib/db/generated/enums";
import { listPackages, scopeTeams } from "@/lib/evidence/queries";
import { requestPackageAction } from "./actions";

export const metadata = { title: "Evidence" };

const TONE: Record<EvidencePackageStatus, BadgeTone> = { QUEUED: "blue", BUILDING: "blue", READY: "green", FAILED: "red" };
const LABEL: Record<EvidencePackageStatus, string> = { QUEUED: "Queued", BUILDING: "Building", READY: "Ready", FAILED: "Failed" };
/** The frameworks a package covers unless someone unticks them: the ones Warrant's guidance names. */
const DEFAULT_FRAMEWORKS = ["nist-csf-2.0", "nist-ai-rmf-1.0", "owasp-agentic-top10-2026", "owasp-nhi-top10-2025", "csa-maestro"];

/** The last full calendar quarter, as date inputs take it (UTC): what auditors ask for most. */
function lastQuarter(now: Date): { from: string; to: string } {
  const quarterStart = Date.UTC(now.getUTCFullYear(), Math.floor(now.getUTCMonth() / 3) * 3, 1);
  const start = new Date(quarterStart);
  start.setUTCMonth(start.getUTCMonth() - 3);
  return { from: start.toISOString().slice(0, 10), to: new Date(quarterStart).toISOString().slice(0, 10) };
}

function size(bytes: number | null): string {
  if (bytes === null) return "—";
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

export default async function Page() {
  await requirePermission("evidence:export");
  const [packages, frameworks, teams] = await Promise.all([listPackages(prisma), listFrameworks(prisma), scopeTeams(prisma)]);
  const building = packages.some((item) => item.status === "QUEUED" || item.status === "BUILDING");
  return (
    <>
      <PageHeader
        title="Evidence"
        description="Signed evidence packages: the inventory, reviews, approvals, runtime decisions and events, audit log, control results, a PDF report and OSCAL assessment results, verifiable offline."
      />
      <RequestPackageForm
        action={requestPackageAction}
        defaults={{ ...lastQuarter(new Date()), frameworks: DEFAULT_FRAMEWORKS }}
        frameworks={frameworks.map((framework) => [framework.id, framework.name])}
        teams={teams.map((team) => [team.id, `Team ${team.name}`])}
      />
      <RefreshWhileBuilding building={building} />
      <section aria-labelledby="packages-heading" className="mt-6 space-y-2">
        <h2 id="packages-heading" className="text-sm font-semibold text-slate-700">
          Packages
        </h2>
        <TableFrame label="Evidence packages" empty={packages.length === 0 ? "No package has been built yet." : undefined}>
          <TableHead>
            <th scope="col" className="px-3 py-2 font-medium">
              Period
            </th>
            <th scope="col" className="px-3 py-2 font-medium">
              Scope
            </th>
            <th scope="col" className="px-3 py-2 font-medium">
              Asked by
            </th>
            <th scope="col" className="px-3 py-2 font-medium">
              Status
            </th>
            <th scope="col" className="px-3 py-2 font-medium">
              Package
            </th>
          </TableHead>
          <tbody className="divide-y divide-slate-100">
            {packages.map((item) => (
              <tr key={item.id} data-testid="evidence-package">
                <td className="px-3 py-1.5 text-xs whitespace-nowrap">
                  {item.periodFrom.toISOString().slice(0, 10)} → {item.periodTo.toISOString().slice(0, 10)}
                  <span className="block text-slate-600">{item.frameworks.length} frameworks</span>
                </td>
                <td className="px-3 py-1.5 text-xs">{item.teamName ? `Team ${item.teamName}` : "Whole inventory"}</td>
                <td className="px-3 py-1.5 text-xs">
                  {item.requestedBy}
                  <span className="block text-slate-600">
                    <LocalTime iso={item.requestedAt.toISOString()} />
                  </span>
                </td>
                <td className="px-3 py-1.5 text-xs">
                  <Badge tone={TONE[item.status]}>{LABEL[item.status]}</Badge>
                  {item.status === "BUILDING" || item.status === "QUEUED" ? (
                    <span className="mt-1 flex items-center gap-2">
                      <progress value={item.progress} max={100} aria-label={`Building: ${item.progress}%`} className="h-2 w-24" />
                      <span className="text-slate-600">{item.stage ?? "waiting for the worker"}</span>
                    </span>
                  ) : null}
                  {item.status === "FAILED" ? <span className="block text-red-700">{item.error}</span> : null}
                </td>
                <td className="px-3 py-1.5 text-xs">
                  {item.status === "READY" ? (
                    <>
                      <a href={`/evidence/${item.id}/download`} className="font-medium text-sky-700 hover:underline" download>
                        Download ({size(item.sizeBytes)}, {item.fileCount} files)
                      </a>
                      <span className="block font-mono text-slate-600" title={item.sha256 ?? undefined}>
                        SHA-256 {item.sha256?.slice(0, 16)}…
                      </span>
                    </>
                  ) : (
                    "—"
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </TableFrame>
        <p className="text-xs text-slate-600">
          Check a package offline with <code>npm run cli -- evidence:verify &lt;package.zip&gt;</code>; its signing keys are published at{" "}
          <a href="/.well-known/warrant-evidence-keys.json" className="text-sky-700 hover:underline">
            /.well-known/warrant-evidence-keys.json
          </a>
          .
        </p>
      </section>
    </>
  );
}
