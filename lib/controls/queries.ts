import type { DbOrTx } from "@/lib/db/client";
import type { ControlResult } from "@/lib/db/generated/client";
import type { ControlStatus } from "@/lib/db/generated/enums";
import { notFound } from "@/lib/errors";
import { CONTROLS, findControl, type ControlDefinition } from "./library";
import type { FrameworkView, RequirementView } from "./frameworks";

// What the Controls pages, the API and the dashboard read: each control's
// latest result and trend, its failing objects and exceptions, the
// requirements it maps to, and a framework's coverage by the controls.

export interface ResultPoint {
  at: Date;
  status: ControlStatus;
  /** Passing objects as a share of those looked at (null when not applicable). */
  passRate: number | null;
}

export interface LatestResult {
  id: string;
  runId: string;
  at: Date;
  status: ControlStatus;
  total: number | null;
  failed: number | null;
  excepted: number | null;
  measure: string;
  reason: string | null;
}

export interface MappingView {
  requirementId: string;
  frameworkId: string;
  frameworkName: string;
  code: string;
  title: string;
  alias: string | null;
  builtIn: boolean;
}

export interface ControlSummary {
  key: string;
  title: string;
  statement: string;
  remedy: string;
  latest: LatestResult | null;
  trend: ResultPoint[];
  mappings: MappingView[];
}

/** Results kept for a trend: about two months of daily runs. */
const TREND_POINTS = 60;

function passRate(row: { total: number | null; failed: number | null; excepted: number | null }): number | null {
  if (row.total === null || row.total === 0) return row.total === 0 ? 1 : null;
  return Math.max(0, row.total - (row.failed ?? 0) - (row.excepted ?? 0)) / row.total;
}

/** A stored result row, as the queries below read it. */
type ResultRow = ControlResult;

/** The latest TREND_POINTS results of each control (or of one), oldest first. */
async function recentResults(db: DbOrTx, controlKey?: string): Promise<ResultRow[]> {
  const only = controlKey ?? null;
  return db.$queryRaw<ResultRow[]>`
    SELECT r."id", r."runId", r."controlKey", r."createdAt", r."status"::text AS "status", r."total", r."failed", r."excepted", r."measure", r."reason"
    FROM "ControlResult" r
    JOIN LATERAL (
      SELECT "id" FROM "ControlResult" x WHERE x."controlKey" = r."controlKey" ORDER BY x."createdAt" DESC LIMIT ${TREND_POINTS}
    ) recent ON recent."id" = r."id"
    WHERE (${only}::text IS NULL OR r."controlKey" = ${only})
    ORDER BY r."controlKey", r."createdAt"`;
}

/** Built-in mappings (library.ts) and security leads' own, with each requirement's framework and official title. */
export async function mappingsByControl(db: DbOrTx): Promise<Map<string, MappingView[]>> {
  const builtInIds = [...new Set(CONTROLS.flatMap((control) => control.mappings.map((mapping) => mapping.requirementId)))];
  const [requirements, custom] = await Promise.all([
    db.requirement.findMany({
      where: { id: { in: builtInIds } },
      select: { id: true, code: true, title: true, framework: { select: { id: true, name: true, position: true } } },
    }),
    db.controlMapping.findMany({
      select: {
        controlKey: true,
        alias: true,
        requirement: { select: { id: true, code: true, title: true, framework: { select: { id: true, name: true, position: true } } } },
      },
    }),
  ]);
  const byId = new Map(requirements.map((requirement) => [requirement.id, requirement]));
  const result = new Map<string, (MappingView & { position: number })[]>();
  for (const control of CONTROLS) {
    const own = control.mappings.flatMap((mapping) => {
      const requirement = byId.get(mapping.requirementId);
      if (!requirement) return [];
      return [
        {
          requirementId: requirement.id,
          frameworkId: requirement.framework.id,
          frameworkName: requirement.framework.name,
          code: requirement.code,
          title: requirement.title,
          alias: mapping.alias ?? null,
          builtIn: true,
          position: requirement.framework.position,
        },
      ];
    });
    result.set(control.key, own);
  }
  for (const mapping of custom) {
    const list = result.get(mapping.controlKey);
    if (!list) continue;
    list.push({
      requirementId: mapping.requirement.id,
      frameworkId: mapping.requirement.framework.id,
      frameworkName: mapping.requirement.framework.name,
      code: mapping.requirement.code,
      title: mapping.requirement.title,
      alias: mapping.alias,
      builtIn: false,
      position: mapping.requirement.framework.position,
    });
  }
  // Grouped by framework in catalog order, each framework's items as the library lists them.
  return new Map(
    [...result].map(([key, list]) => [
      key,
      list
        .map((item, index) => ({ item, index }))
        .sort((a, b) => a.item.position - b.item.position || a.index - b.index)
        .map(({ item }) => withoutPosition(item)),
    ]),
  );
}

function withoutPosition(item: MappingView & { position: number }): MappingView {
  const { requirementId, frameworkId, frameworkName, code, title, alias, builtIn } = item;
  return { requirementId, frameworkId, frameworkName, code, title, alias, builtIn };
}

function latestOf(row: ResultRow): LatestResult {
  const { id, runId, status, total, failed, excepted, measure, reason, createdAt } = row;
  return { id, runId, at: createdAt, status, total, failed, excepted, measure, reason };
}

function summarize(control: ControlDefinition, rows: ResultRow[], mappings: MappingView[]): ControlSummary {
  const last = rows.at(-1);
  return {
    key: control.key,
    title: control.title,
    statement: control.statement,
    remedy: control.remedy,
    latest: last ? latestOf(last) : null,
    trend: rows.map((row) => ({ at: row.createdAt, status: row.status, passRate: passRate(row) })),
    mappings,
  };
}

export async function listControls(db: DbOrTx): Promise<ControlSummary[]> {
  const [rows, mappings] = await Promise.all([recentResults(db), mappingsByControl(db)]);
  return CONTROLS.map((control) =>
    summarize(
      control,
      rows.filter((row) => row.controlKey === control.key),
      mappings.get(control.key) ?? [],
    ),
  );
}

export interface FailureView {
  objectType: string;
  objectId: string;
  label: string;
  detail: string;
  ownerId: string | null;
  ownerName: string | null;
  excepted: boolean;
}

export interface ExceptionView {
  id: string;
  objectType: string;
  objectId: string;
  label: string;
  reason: string;
  expiresAt: Date;
  createdAt: Date;
  createdBy: string;
  revokedAt: Date | null;
}

export interface ControlDetail extends ControlSummary {
  failures: FailureView[];
  /** How many failing objects the latest run found in all (the list shows the first FAILURES_SHOWN). */
  failureCount: number;
  exceptions: ExceptionView[];
}

export const FAILURES_SHOWN = 200;

export async function getControl(db: DbOrTx, key: string): Promise<ControlDetail> {
  const control = findControl(key);
  if (!control) throw notFound("That control");
  const [rows, mappings, exceptions] = await Promise.all([
    recentResults(db, key),
    mappingsByControl(db),
    db.controlException.findMany({
      where: { controlKey: key },
      orderBy: [{ revokedAt: { sort: "desc", nulls: "first" } }, { expiresAt: "desc" }],
      take: 200,
      include: { createdBy: { select: { name: true, email: true } } },
    }),
  ]);
  const summary = summarize(control, rows, mappings.get(key) ?? []);
  const resultId = summary.latest?.id ?? null;
  const [failures, failureCount] = resultId
    ? await Promise.all([
        db.$queryRaw<FailureView[]>`
          SELECT f."objectType", f."objectId", f."label", f."detail", f."ownerId", coalesce(u."name", u."email") AS "ownerName", f."excepted"
          FROM "ControlFailure" f LEFT JOIN "User" u ON u."id" = f."ownerId"
          WHERE f."resultId" = ${resultId}
          ORDER BY f."excepted", f."label", f."objectId"
          LIMIT ${FAILURES_SHOWN}`,
        db.controlFailure.count({ where: { resultId } }),
      ])
    : [[], 0];
  return {
    ...summary,
    failures,
    failureCount,
    exceptions: exceptions.map((exception) => ({
      id: exception.id,
      objectType: exception.objectType,
      objectId: exception.objectId,
      label: exception.label,
      reason: exception.reason,
      expiresAt: exception.expiresAt,
      createdAt: exception.createdAt,
      createdBy: exception.createdBy.name ?? exception.createdBy.email,
      revokedAt: exception.revokedAt,
    })),
  };
}

/** Where a failing object lives in the app, when it has a page. */
export function failureHref(failure: { objectType: string; objectId: string }): string | null {
  switch (failure.objectType) {
    case "identity":
      return `/inventory/${failure.objectId}`;
    case "approval_request":
      return `/approvals/${failure.objectId}`;
    case "audit_chain":
      return "/audit";
    case "policy_set":
      return "/policies";
    case "discovery_finding":
      return `/discovered/${failure.objectId}`;
    default:
      return null;
  }
}

// ---------------------------------------------------------------------------
// A framework's coverage: which controls give evidence for each requirement,
// and how they stand. An item's status is its own controls' and its
// descendants': failing if any fails, passing if some pass and none fails,
// not applicable if all that map say so, and a gap if no control covers it.

export type CoverageStatus = "FAIL" | "PASS" | "NOT_APPLICABLE" | "GAP";

export interface RequirementCoverage extends RequirementView {
  /** Controls mapped to this item itself. */
  controls: { key: string; title: string; status: ControlStatus | null; alias: string | null }[];
  status: CoverageStatus;
  /** Controls counted for the status, this item's and its descendants'. */
  passing: number;
  failing: number;
}

const RANK: Record<CoverageStatus, number> = { FAIL: 3, PASS: 2, NOT_APPLICABLE: 1, GAP: 0 };

export async function frameworkCoverage(db: DbOrTx, framework: FrameworkView): Promise<RequirementCoverage[]> {
  const [mappings, rows] = await Promise.all([mappingsByControl(db), latestStatuses(db)]);
  const own = new Map<string, RequirementCoverage["controls"]>();
  for (const control of CONTROLS) {
    for (const mapping of mappings.get(control.key) ?? []) {
      if (mapping.frameworkId !== framework.id) continue;
      own.set(mapping.requirementId, [
        ...(own.get(mapping.requirementId) ?? []),
        { key: control.key, title: control.title, status: rows.get(control.key) ?? null, alias: mapping.alias },
      ]);
    }
  }
  // Bottom-up: the tree lists each item before its descendants, so walk it backwards.
  const coverage: RequirementCoverage[] = framework.requirements.map((requirement) => {
    const controls = own.get(requirement.id) ?? [];
    return {
      ...requirement,
      controls,
      status: "GAP",
      passing: controls.filter((control) => control.status === "PASS").length,
      failing: controls.filter((control) => control.status === "FAIL").length,
    };
  });
  // Each item's statuses to weigh: its own controls', then its children's as the walk reaches them.
  const statuses = new Map(
    coverage.map((item) => [item.code, item.controls.map((control) => control.status ?? "NOT_APPLICABLE") as CoverageStatus[]]),
  );
  const byCode = new Map(coverage.map((item) => [item.code, item]));
  for (let index = coverage.length - 1; index >= 0; index--) {
    const item = coverage[index]!;
    item.status = statuses.get(item.code)!.reduce<CoverageStatus>((worst, status) => (RANK[status] > RANK[worst] ? status : worst), "GAP");
    const parent = item.parentCode ? byCode.get(item.parentCode) : undefined;
    if (parent && parent !== item && item.status !== "GAP") {
      statuses.get(parent.code)!.push(item.status);
      parent.passing += item.passing;
      parent.failing += item.failing;
    }
  }
  return coverage;
}

/** Each control's latest result (made before `before`, when given): how it stands, as of then. */
export async function latestResults(db: DbOrTx, before?: Date): Promise<ResultRow[]> {
  const until = before ?? null;
  return db.$queryRaw<ResultRow[]>`
    SELECT DISTINCT ON (r."controlKey") r."id", r."runId", r."controlKey", r."status"::text AS "status", r."total", r."failed", r."excepted",
           r."measure", r."reason", r."createdAt"
    FROM "ControlResult" r WHERE (${until}::timestamptz IS NULL OR r."createdAt" < ${until}::timestamptz)
    ORDER BY r."controlKey", r."createdAt" DESC`;
}

/** Each control's status in its latest run. */
export async function latestStatuses(db: DbOrTx): Promise<Map<string, ControlStatus>> {
  return new Map((await latestResults(db)).map((row) => [row.controlKey, row.status]));
}

/** A trend as the charts take it: ISO times and whole percentages. */
export function trendPoints(trend: ResultPoint[]): { at: string; percent: number | null; status: string }[] {
  return trend.map((point) => ({
    at: point.at.toISOString(),
    percent: point.passRate === null ? null : Math.round(point.passRate * 1000) / 10,
    status: point.status,
  }));
}

export interface OwnedFailure {
  controlKey: string;
  controlTitle: string;
  objectType: string;
  objectId: string;
  label: string;
  detail: string;
}

/** What the latest run of each control found failing on objects someone owns, not excepted: their tasks. */
export async function failuresOwnedBy(db: DbOrTx, userId: string, limit: number): Promise<OwnedFailure[]> {
  const rows = await db.$queryRaw<Omit<OwnedFailure, "controlTitle">[]>`
    WITH latest AS (
      SELECT DISTINCT ON (r."controlKey") r."id", r."controlKey" FROM "ControlResult" r ORDER BY r."controlKey", r."createdAt" DESC
    )
    SELECT l."controlKey", f."objectType", f."objectId", f."label", f."detail"
    FROM latest l JOIN "ControlFailure" f ON f."resultId" = l."id"
    WHERE f."ownerId" = ${userId} AND NOT f."excepted"
    ORDER BY f."label", l."controlKey"
    LIMIT ${limit}`;
  return rows.map((row) => ({ ...row, controlTitle: findControl(row.controlKey)?.title ?? row.controlKey }));
}

/** Requirements a security lead may map a control to: their own frameworks' (Warrant maps the shipped catalogs). */
export async function mappableRequirements(db: DbOrTx): Promise<{ id: string; label: string }[]> {
  const requirements = await db.requirement.findMany({
    where: { framework: { builtIn: false } },
    orderBy: [{ frameworkId: "asc" }, { position: "asc" }],
    select: { id: true, code: true, title: true, framework: { select: { name: true } } },
  });
  return requirements.map((requirement) => ({
    id: requirement.id,
    label: `${requirement.framework.name}: ${requirement.code} ${requirement.title}`,
  }));
}

// ---------------------------------------------------------------------------
// Pass rate per framework, run by run (the dashboard): of a framework's
// requirements that some applicable control assesses, the share whose
// controls all pass. A requirement whose controls are all not applicable is
// left out, neither passing nor failing; an excepted object does not fail its
// control, as everywhere else.

export interface FrameworkPassRate {
  frameworkId: string;
  name: string;
  /** The latest run's: passing and assessed requirements, and the share in percent (null before any run assesses one). */
  passing: number;
  assessed: number;
  percent: number | null;
  trend: { at: string; percent: number | null; status: string }[];
}

/** Runs shown in the trend: about a month of daily runs. */
const RATE_RUNS = 30;

export async function frameworkPassRates(db: DbOrTx): Promise<FrameworkPassRate[]> {
  const [runs, mappings, frameworks] = await Promise.all([
    db.controlRun.findMany({
      orderBy: { startedAt: "desc" },
      take: RATE_RUNS,
      select: { startedAt: true, results: { select: { controlKey: true, status: true } } },
    }),
    mappingsByControl(db),
    db.framework.findMany({ orderBy: [{ position: "asc" }, { name: "asc" }], select: { id: true, name: true } }),
  ]);
  // Each framework's requirements, with the controls mapped to each.
  const controlsOf = new Map<string, Map<string, string[]>>();
  for (const [controlKey, list] of mappings) {
    for (const mapping of list) {
      const requirements = controlsOf.get(mapping.frameworkId) ?? new Map<string, string[]>();
      requirements.set(mapping.requirementId, [...(requirements.get(mapping.requirementId) ?? []), controlKey]);
      controlsOf.set(mapping.frameworkId, requirements);
    }
  }
  const chronological = runs.reverse();
  return frameworks.map((framework) => {
    const requirements = [...(controlsOf.get(framework.id)?.values() ?? [])];
    const points = chronological.map((run) => {
      const status = new Map(run.results.map((result) => [result.controlKey, result.status]));
      let passing = 0;
      let assessed = 0;
      for (const controls of requirements) {
        const applicable = controls.map((key) => status.get(key)).filter((value) => value === "PASS" || value === "FAIL");
        if (applicable.length === 0) continue;
        assessed += 1;
        if (applicable.every((value) => value === "PASS")) passing += 1;
      }
      return { at: run.startedAt, passing, assessed, percent: assessed === 0 ? null : Math.round((passing / assessed) * 1000) / 10 };
    });
    const latest = points.at(-1);
    return {
      frameworkId: framework.id,
      name: framework.name,
      passing: latest?.passing ?? 0,
      assessed: latest?.assessed ?? 0,
      percent: latest?.percent ?? null,
      trend: points.map((point) => ({
        at: point.at.toISOString(),
        percent: point.percent,
        status: point.percent === 100 ? "PASS" : "FAIL",
      })),
    };
  });
}
