import Link from "next/link";
import { notFound } from "next/navigation";
import { Suspense } from "react";
import { ApprovalStatusBadge } from "@/components/approvals/approval-status-badge";
import { BreakGlassForm, DecideForm, WithdrawForm } from "@/components/approvals/decision-forms";
import { ChangeList } from "@/components/approvals/change-list";
import { RiskTierBadge } from "@/components/inventory/risk-badge";
import { LocalTime } from "@/components/local-time";
import { Badge } from "@/components/ui/badge";
import { ReplayPending, ReplaySection } from "@/components/policies/replay-section";
import { PageHeader } from "@/components/ui/page-header";
import { requireActor } from "@/lib/auth/session";
import { prisma } from "@/lib/db/client";
import { timeLeft } from "@/lib/approvals/labels";
import { getApprovalRequest } from "@/lib/approvals/queries";
import { describeApprovers } from "@/lib/approvals/rules";
import { AppError } from "@/lib/errors";
import { versionToReplayFor } from "@/lib/policy/replay";
import { breakGlassAction, decideApprovalAction, withdrawApprovalAction } from "../actions";

export const metadata = { title: "Approval request" };

async function load(id: string) {
  const actor = await requireActor();
  try {
    const request = await getApprovalRequest(prisma, actor, id);
    return { actor, request, replayVersionId: await versionToReplayFor(prisma, actor, request) };
  } catch (error) {
    if (error instanceof AppError && error.code === "not_found") notFound();
    throw error;
  }
}

export default async function Page({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const { actor, request, replayVersionId } = await load(id);
  const now = new Date();
  const approvalsAt = (level: number) =>
    request.decisions.filter((decision) => decision.level === level && decision.verdict === "APPROVE").length;

  return (
    <>
      <PageHeader title={request.summary} description={request.catalogLabel} />
      <div className="grid grid-cols-1 gap-4 lg:grid-cols-3">
        <div className="space-y-4 lg:col-span-2">
          <section aria-labelledby="request-heading" className="rounded-md border border-slate-200 bg-white p-3 text-sm">
            <h2 id="request-heading" className="sr-only">
              The request
            </h2>
            <dl className="grid grid-cols-[10rem_1fr] gap-x-3 gap-y-1.5">
              <dt className="text-slate-500">Status</dt>
              <dd data-testid="approval-status">
                <ApprovalStatusBadge status={request.status} breakGlass={request.breakGlass} />
                {request.status === "PENDING" ? <span className="ml-2 text-slate-600">{timeLeft(request.expiresAt, now)}</span> : null}
                {request.outcome ? <p className="mt-1 text-slate-700">{request.outcome}</p> : null}
              </dd>
              <dt className="text-slate-500">Requested by</dt>
              <dd>
                {request.requester.name ?? request.requester.email} · <LocalTime iso={request.createdAt.toISOString()} />
              </dd>
              <dt className="text-slate-500">Why</dt>
              <dd className="whitespace-pre-wrap">{request.justification}</dd>
              <dt className="text-slate-500">Needs approval because</dt>
              <dd>{request.reason}</dd>
              {request.identity ? (
                <>
                  <dt className="text-slate-500">Identity</dt>
                  <dd>
                    <Link href={`/inventory/${request.identity.id}`} className="text-sky-700 hover:underline">
                      {request.identity.name}
                    </Link>{" "}
                    <span className="text-slate-500">({request.identity.environment})</span>
                  </dd>
                </>
              ) : null}
              {request.system ? (
                <>
                  <dt className="text-slate-500">System</dt>
                  <dd>
                    {request.system.name}{" "}
                    <span className="text-slate-500">
                      ({request.system.environment}, {request.system.sensitivity.toLowerCase()})
                    </span>
                  </dd>
                </>
              ) : null}
              {request.riskBefore || request.riskAfter ? (
                <>
                  <dt className="text-slate-500">Risk</dt>
                  <dd className="flex items-center gap-1">
                    {request.riskBefore ? <RiskTierBadge tier={request.riskBefore} /> : <span>new</span>}
                    <span aria-hidden="true">→</span>
                    <span className="sr-only">after the change</span>
                    {request.riskAfter ? <RiskTierBadge tier={request.riskAfter} /> : null}
                  </dd>
                </>
              ) : null}
              <dt className="text-slate-500">Expires</dt>
              <dd>
                <LocalTime iso={request.expiresAt.toISOString()} />
              </dd>
            </dl>
          </section>

          <section aria-labelledby="changes-heading" className="space-y-2">
            <h2 id="changes-heading" className="text-sm font-semibold text-slate-700">
              What would change
            </h2>
            <ChangeList changes={request.changes} />
          </section>
          {replayVersionId ? (
            <Suspense fallback={<ReplayPending />}>
              <ReplaySection actor={actor} versionId={replayVersionId} windowForm={false} />
            </Suspense>
          ) : null}
        </div>

        <div className="space-y-4">
          <section aria-labelledby="levels-heading" className="rounded-md border border-slate-200 bg-white p-3 text-sm">
            <h2 id="levels-heading" className="mb-2 text-sm font-semibold">
              {request.rule.name}
            </h2>
            <ol className="space-y-2">
              {request.levels.map((level, index) => (
                <li key={index} aria-label={`Level ${index + 1}: ${level.name}`}>
                  <div className="flex items-center justify-between gap-2">
                    <span className="font-medium">
                      {index + 1}. {level.name}
                    </span>
                    <Badge
                      tone={
                        approvalsAt(index) >= level.required ? "green" : request.waitingForLevel?.number === index + 1 ? "amber" : "neutral"
                      }
                    >
                      {approvalsAt(index)} of {level.required}
                    </Badge>
                  </div>
                  <p className="text-xs text-slate-500">{describeApprovers(level.approvers)}</p>
                  <ul className="mt-1 space-y-1">
                    {request.decisions
                      .filter((decision) => decision.level === index)
                      .map((decision) => (
                        <li key={decision.id} className="text-xs">
                          <Badge tone={decision.verdict === "APPROVE" ? "green" : "red"}>
                            {decision.verdict === "APPROVE" ? "Approved" : "Rejected"}
                          </Badge>{" "}
                          {decision.decider.name ?? decision.decider.email} · <LocalTime iso={decision.createdAt.toISOString()} />
                          {decision.comment ? <p className="mt-0.5 text-slate-700">“{decision.comment}”</p> : null}
                        </li>
                      ))}
                  </ul>
                </li>
              ))}
            </ol>
          </section>
          {request.viewer.mayDecide ? <DecideForm requestId={request.id} action={decideApprovalAction} /> : null}
          {!request.viewer.mayDecide && request.status === "PENDING" && request.viewer.whyNot ? (
            <p className="text-xs text-slate-600">You cannot decide this request: {request.viewer.whyNot}</p>
          ) : null}
          {request.viewer.mayWithdraw ? <WithdrawForm requestId={request.id} action={withdrawApprovalAction} /> : null}
          {request.viewer.mayBreakGlass ? <BreakGlassForm requestId={request.id} action={breakGlassAction} /> : null}
        </div>
      </div>
    </>
  );
}
