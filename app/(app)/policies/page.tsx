import Link from "next/link";
import { Suspense } from "react";
import { ActivateVersionForm, PolicyEditor } from "@/components/policies/policy-forms";
import { ReplayPending, ReplaySection } from "@/components/policies/replay-section";
import { LocalTime } from "@/components/local-time";
import { Badge } from "@/components/ui/badge";
import { PageHeader } from "@/components/ui/page-header";
import { TableFrame, TableHead } from "@/components/ui/table";
import { can } from "@/lib/auth/actor";
import { requirePermission } from "@/lib/auth/session";
import { prisma } from "@/lib/db/client";
import { replayQuery } from "@/lib/policy/replay";
import { activePolicyVersion, listPolicyVersions, policyVersionOrActive } from "@/lib/policy/store";
import { activatePolicyVersionAction, createPolicyVersionAction } from "./actions";

export const metadata = { title: "Policies" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function Page({ searchParams }: { searchParams: SearchParams }) {
  const actor = await requirePermission("policies:read");
  const active = await activePolicyVersion(prisma);
  const versions = await listPolicyVersions(prisma);
  const params = await searchParams;
  const shown = await policyVersionOrActive(prisma, typeof params.version === "string" ? params.version : undefined);
  const editable = can(actor, "policies:write");
  // A version that is not active is replayed against the recorded decisions before anyone enables it.
  const days = replayQuery.safeParse({ days: typeof params.days === "string" ? params.days : undefined });

  return (
    <>
      <PageHeader
        title="Policies"
        description="Cedar policies judge what each identity may do at run time. A version never changes once stored; activating one needs a security lead's approval."
      />
      <section aria-labelledby="versions-heading" className="mb-6 space-y-2">
        <h2 id="versions-heading" className="text-sm font-semibold text-slate-700">
          Versions
        </h2>
        <TableFrame label="Policy versions">
          <TableHead>
            <th scope="col" className="px-3 py-2 font-medium">
              Version
            </th>
            <th scope="col" className="px-3 py-2 font-medium">
              What changed
            </th>
            <th scope="col" className="px-3 py-2 font-medium">
              Written
            </th>
            <th scope="col" className="px-3 py-2 font-medium">
              Activated
            </th>
            {editable ? (
              <th scope="col" className="px-3 py-2 font-medium">
                Activate
              </th>
            ) : null}
          </TableHead>
          <tbody className="divide-y divide-slate-100">
            {versions.map((version) => (
              <tr key={version.id} data-testid={`policy-version-${version.number}`}>
                <td className="px-3 py-1.5 whitespace-nowrap">
                  <Link href={`/policies?version=${version.id}`} className="font-medium text-sky-700 hover:underline">
                    Version {version.number}
                  </Link>{" "}
                  {version.active ? <Badge tone="green">Active</Badge> : null}
                </td>
                <td className="px-3 py-1.5">{version.note ?? "—"}</td>
                <td className="px-3 py-1.5 text-xs whitespace-nowrap">
                  <LocalTime iso={version.createdAt.toISOString()} /> · {version.createdBy?.name ?? "Warrant"}
                </td>
                <td className="px-3 py-1.5 text-xs whitespace-nowrap">
                  {version.activatedAt ? (
                    <>
                      <LocalTime iso={version.activatedAt.toISOString()} /> · {version.activatedBy?.name ?? "Warrant"}
                    </>
                  ) : (
                    "never"
                  )}
                </td>
                {editable ? (
                  <td className="px-3 py-1.5">
                    {version.active ? null : (
                      <ActivateVersionForm versionId={version.id} number={version.number} action={activatePolicyVersionAction} />
                    )}
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </TableFrame>
      </section>

      {days.success ? null : (
        <p role="alert" className="mb-3 rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">
          <code>days</code>: {days.error.issues[0]?.message}; the last 7 days are replayed instead.
        </p>
      )}
      {shown.id === active.id ? null : (
        <Suspense key={`${shown.id}:${days.data?.days}`} fallback={<ReplayPending />}>
          <ReplaySection actor={actor} versionId={shown.id} days={days.data?.days} />
        </Suspense>
      )}

      <section aria-labelledby="text-heading" className="space-y-2">
        <h2 id="text-heading" className="text-sm font-semibold text-slate-700">
          {editable ? `Edit, starting from version ${shown.number}` : `Version ${shown.number}`}
          {shown.id === active.id ? " (active)" : ""}
        </h2>
        {editable ? (
          <PolicyEditor key={shown.id} initialText={shown.text} action={createPolicyVersionAction} />
        ) : (
          <pre
            aria-label={`Policies of version ${shown.number}`}
            className="overflow-x-auto rounded-md border border-slate-200 bg-white p-3 text-xs leading-5"
          >
            {shown.text}
          </pre>
        )}
      </section>
    </>
  );
}
