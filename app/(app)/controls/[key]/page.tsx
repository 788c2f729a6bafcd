import Link from "next/link";
import { notFound } from "next/navigation";
import { AddExceptionForm, MapControlForm, RevokeExceptionForm, RunControlsForm } from "@/components/controls/control-forms";
import { ControlStatusBadge } from "@/components/controls/control-status-badge";
import { TrendChart } from "@/components/controls/trend-chart";
import { LocalTime } from "@/components/local-time";
import { Badge } from "@/components/ui/badge";
import { PageHeader } from "@/components/ui/page-header";
import { TableFrame, TableHead } from "@/components/ui/table";
import { can } from "@/lib/auth/actor";
import { requirePermission } from "@/lib/auth/session";
import { FAILURES_SHOWN, failureHref, getControl, mappableRequirements, trendPoints } from "@/lib/controls/queries";
import { prisma } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { addExceptionAction, mapControlAction, revokeExceptionAction, runControlsAction } from "../actions";

export const metadata = { title: "Control" };

async function load(key: string) {
  try {
    return await getControl(prisma, key);
  } catch (error) {
    if (error instanceof AppError && error.code === "not_found") notFound();
    throw error;
  }
}

function exceptionState(exception: { revokedAt: Date | null; expiresAt: Date }, now: Date) {
  if (exception.revokedAt) return <Badge>Revoked</Badge>;
  if (exception.expiresAt <= now) return <Badge>Expired</Badge>;
  return <Badge tone="violet">In force</Badge>;
}

export default async function Page({ params }: { params: Promise<{ key: string }> }) {
  const actor = await requirePermission("controls:read");
  const control = await load(decodeURIComponent((await params).key));
  const manage = can(actor, "controls:manage");
  const now = new Date();
  const { latest } = control;
  const mappable = manage ? await mappableRequirements(prisma) : [];
  return (
    <>
      <PageHeader
        title={control.title}
        description={control.statement}
        actions={
          <div className="flex items-center gap-3">
            {manage ? <RunControlsForm action={runControlsAction} /> : null}
            <Link href="/controls" className="text-sm text-sky-700 hover:underline">
              All controls
            </Link>
          </div>
        }
      />
      <section aria-labelledby="status-heading" className="mb-6 grid gap-4 md:grid-cols-2">
        <div className="space-y-2 rounded-md border border-slate-200 bg-white p-3 text-sm">
          <h2 id="status-heading" className="flex items-center gap-2 text-sm font-semibold text-slate-700">
            Status <ControlStatusBadge status={latest?.status ?? null} />
          </h2>
          {latest ? (
            <>
              <p data-testid="control-measure">{latest.measure}</p>
              {latest.reason ? <p className="text-slate-600">{latest.reason}</p> : null}
              <p className="text-xs text-slate-600">
                Last run <LocalTime iso={latest.at.toISOString()} />
              </p>
            </>
          ) : (
            <p className="text-slate-600">Not run yet.</p>
          )}
          <p className="text-xs text-slate-600">
            <span className="font-medium">To fix a failing object:</span> {control.remedy}
          </p>
        </div>
        <div className="rounded-md border border-slate-200 bg-white p-3">
          <h2 className="mb-1 text-sm font-semibold text-slate-700">Passing over time</h2>
          {control.trend.length > 0 ? (
            <TrendChart points={trendPoints(control.trend)} title={`${control.title}: passing share by run`} />
          ) : (
            <p className="text-sm text-slate-600">No runs yet.</p>
          )}
        </div>
      </section>

      <section aria-labelledby="failures-heading" className="mb-6 space-y-2">
        <h2 id="failures-heading" className="text-sm font-semibold text-slate-700">
          Failing objects{control.failureCount > 0 ? ` (${control.failureCount})` : ""}
        </h2>
        <TableFrame
          label="Failing objects"
          empty={control.failures.length === 0 ? "Nothing fails this control in its latest run." : undefined}
        >
          <TableHead>
            <th scope="col" className="px-3 py-2 font-medium">
              Object
            </th>
            <th scope="col" className="px-3 py-2 font-medium">
              What is wrong
            </th>
            <th scope="col" className="px-3 py-2 font-medium">
              Owner
            </th>
          </TableHead>
          <tbody className="divide-y divide-slate-100">
            {control.failures.map((failure) => {
              const href = failureHref(failure);
              return (
                <tr key={`${failure.objectType}:${failure.objectId}`} data-testid="failing-object">
                  <td className="px-3 py-1.5">
                    {href ? (
                      <Link href={href} className="font-medium text-sky-700 hover:underline">
                        {failure.label}
                      </Link>
                    ) : (
                      failure.label
                    )}{" "}
                    {failure.excepted ? <Badge tone="violet">Excepted</Badge> : null}
                  </td>
                  <td className="px-3 py-1.5 text-xs text-slate-700">{failure.detail}</td>
                  <td className="px-3 py-1.5 text-xs text-slate-700">{failure.ownerName ?? "—"}</td>
                </tr>
              );
            })}
          </tbody>
        </TableFrame>
        {control.failureCount > FAILURES_SHOWN ? (
          <p className="text-xs text-slate-600">
            The first {FAILURES_SHOWN} of {control.failureCount} are shown.
          </p>
        ) : null}
        {manage && control.failures.some((failure) => !failure.excepted) ? (
          <AddExceptionForm
            action={addExceptionAction}
            controlKey={control.key}
            objects={control.failures
              .filter((failure) => !failure.excepted)
              .map((failure) => [`${failure.objectType}:${failure.objectId}`, `${failure.label}: ${failure.detail}`.slice(0, 100)])}
          />
        ) : null}
      </section>

      <section aria-labelledby="exceptions-heading" className="mb-6 space-y-2">
        <h2 id="exceptions-heading" className="text-sm font-semibold text-slate-700">
          Exceptions
        </h2>
        <TableFrame
          label="Exceptions"
          empty={control.exceptions.length === 0 ? "No failing object has been accepted for this control." : undefined}
        >
          <TableHead>
            <th scope="col" className="px-3 py-2 font-medium">
              Object
            </th>
            <th scope="col" className="px-3 py-2 font-medium">
              Reason
            </th>
            <th scope="col" className="px-3 py-2 font-medium">
              Until
            </th>
            <th scope="col" className="px-3 py-2 font-medium">
              Accepted by
            </th>
            <th scope="col" className="px-3 py-2 font-medium">
              State
            </th>
          </TableHead>
          <tbody className="divide-y divide-slate-100">
            {control.exceptions.map((exception) => (
              <tr key={exception.id} data-testid="control-exception">
                <td className="px-3 py-1.5">{exception.label}</td>
                <td className="px-3 py-1.5 text-xs text-slate-700">{exception.reason}</td>
                <td className="px-3 py-1.5 text-xs whitespace-nowrap">{exception.expiresAt.toISOString().slice(0, 10)}</td>
                <td className="px-3 py-1.5 text-xs">{exception.createdBy}</td>
                <td className="px-3 py-1.5">
                  <div className="flex items-center gap-2">
                    {exceptionState(exception, now)}
                    {manage && !exception.revokedAt && exception.expiresAt > now ? (
                      <RevokeExceptionForm action={revokeExceptionAction} exceptionId={exception.id} label={exception.label} />
                    ) : null}
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </TableFrame>
      </section>

      <section aria-labelledby="mappings-heading" className="mb-6 space-y-2">
        <h2 id="mappings-heading" className="text-sm font-semibold text-slate-700">
          Requirements it gives evidence for
        </h2>
        <TableFrame label="Requirements">
          <TableHead>
            <th scope="col" className="px-3 py-2 font-medium">
              Framework
            </th>
            <th scope="col" className="px-3 py-2 font-medium">
              ID
            </th>
            <th scope="col" className="px-3 py-2 font-medium">
              Title
            </th>
          </TableHead>
          <tbody className="divide-y divide-slate-100">
            {control.mappings.map((mapping) => (
              <tr key={mapping.requirementId} data-testid="control-mapping">
                <td className="px-3 py-1.5 text-xs">
                  <Link href={`/controls/frameworks/${mapping.frameworkId}#req-${mapping.code}`} className="text-sky-700 hover:underline">
                    {mapping.frameworkName}
                  </Link>
                </td>
                <td className="px-3 py-1.5 font-mono text-xs whitespace-nowrap">
                  {mapping.code}
                  {mapping.alias ? <span className="ml-1 font-sans text-slate-600">(guidance: {mapping.alias})</span> : null}
                </td>
                <td className="px-3 py-1.5 text-xs text-slate-700">
                  {mapping.title} {mapping.builtIn ? null : <Badge>Added by your team</Badge>}
                </td>
              </tr>
            ))}
          </tbody>
        </TableFrame>
        {manage && mappable.length > 0 ? (
          <MapControlForm
            action={mapControlAction}
            controlKey={control.key}
            requirements={mappable.map((requirement) => [requirement.id, requirement.label.slice(0, 100)])}
          />
        ) : null}
      </section>
    </>
  );
}
