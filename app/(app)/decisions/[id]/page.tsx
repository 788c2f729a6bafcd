import Link from "next/link";
import { notFound } from "next/navigation";
import { LocalTime } from "@/components/local-time";
import { DecisionOutcomeBadge } from "@/components/policies/decision-outcome-badge";
import { PageHeader } from "@/components/ui/page-header";
import { requirePermission } from "@/lib/auth/session";
import { prisma } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { ACTION_LABELS, formatLatency } from "@/lib/policy/decision-labels";
import { getDecision } from "@/lib/policy/decisions";
import { readPageParams } from "@/lib/validation/page-params";

export const metadata = { title: "Decision" };

async function load(id: string) {
  const actor = await requirePermission("policies:read");
  try {
    return await getDecision(prisma, actor, id);
  } catch (error) {
    if (error instanceof AppError && error.code === "not_found") notFound();
    throw error;
  }
}

export default async function Page({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await readPageParams(params);
  const decision = await load(id);
  const resource = decision.resource.type === "Tool" ? `tool ${decision.resource.id}` : (decision.resource.name ?? "a deleted system");

  return (
    <>
      <PageHeader
        title={`${decision.identity.name}: ${ACTION_LABELS[decision.action] ?? decision.action} on ${resource}`}
        description="One runtime decision, with everything stored about it."
        actions={
          <Link href="/decisions" className="text-sm text-sky-700 hover:underline">
            All decisions
          </Link>
        }
      />
      <section aria-labelledby="decision-heading" className="mb-4 rounded-md border border-slate-200 bg-white p-3 text-sm">
        <h2 id="decision-heading" className="sr-only">
          The decision
        </h2>
        <dl className="grid grid-cols-[10rem_1fr] gap-x-3 gap-y-1.5">
          <dt className="text-slate-500">Outcome</dt>
          <dd data-testid="decision-outcome">
            <DecisionOutcomeBadge outcome={decision.outcome} />
            {decision.humanApproved ? <span className="ml-2 text-slate-600">a human approved this exact call</span> : null}
          </dd>
          <dt className="text-slate-500">When</dt>
          <dd>
            <LocalTime iso={decision.createdAt.toISOString()} />
          </dd>
          <dt className="text-slate-500">Identity</dt>
          <dd>
            <Link href={`/inventory/${decision.identity.id}`} className="text-sky-700 hover:underline">
              {decision.identity.name}
            </Link>
          </dd>
          <dt className="text-slate-500">Action</dt>
          <dd>{ACTION_LABELS[decision.action] ?? decision.action}</dd>
          <dt className="text-slate-500">Resource</dt>
          <dd>
            {decision.resource.type} <code>{decision.resource.name ?? decision.resource.id}</code>
            {decision.resource.type === "System" ? <span className="text-slate-500"> ({decision.resource.id})</span> : null}
          </dd>
          <dt className="text-slate-500">Policies</dt>
          <dd>
            {decision.policyIds.length > 0
              ? decision.policyIds.map((policy) => (
                  <code key={policy} className="mr-2">
                    {policy}
                  </code>
                ))
              : "none"}
          </dd>
          <dt className="text-slate-500">Reasons</dt>
          <dd>
            <ul className="list-inside list-disc">
              {decision.reasons.map((reason) => (
                <li key={reason}>{reason}</li>
              ))}
            </ul>
          </dd>
          <dt className="text-slate-500">Policy version</dt>
          <dd>
            <Link href={`/policies?version=${decision.policyVersion.id}`} className="text-sky-700 hover:underline">
              Version {decision.policyVersion.number}
            </Link>
          </dd>
          <dt className="text-slate-500">Task</dt>
          <dd>{decision.taskId ? <code>{decision.taskId}</code> : "—"}</dd>
          <dt className="text-slate-500">Task intent</dt>
          <dd className="whitespace-pre-wrap">{decision.taskIntent ?? "—"}</dd>
          <dt className="text-slate-500">Arguments hash</dt>
          <dd>{decision.argumentsHash ? <code className="break-all">{decision.argumentsHash}</code> : "— (not a tool call)"}</dd>
          <dt className="text-slate-500">Credential</dt>
          <dd>
            {decision.credential.kind === "jit" ? "JIT token" : "API token"} <code>{decision.credential.id}</code>
          </dd>
          <dt className="text-slate-500">Latency</dt>
          <dd>{formatLatency(decision.latencyMicros)}</dd>
          <dt className="text-slate-500">Decision id</dt>
          <dd>
            <code>{decision.id}</code>
          </dd>
        </dl>
      </section>
      <section aria-labelledby="request-heading" className="space-y-2">
        <h2 id="request-heading" className="text-sm font-semibold text-slate-700">
          Cedar request judged
        </h2>
        {decision.cedarRequest ? (
          <pre className="overflow-x-auto rounded-md border border-slate-200 bg-white p-3 text-xs leading-5">
            {JSON.stringify(decision.cedarRequest, null, 2)}
          </pre>
        ) : (
          <p className="text-sm text-slate-600">
            Not kept: this decision was stored before Warrant kept the request, so it cannot be replayed.
          </p>
        )}
      </section>
    </>
  );
}
