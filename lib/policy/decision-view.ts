import { fieldErrorsFromZod } from "@/lib/errors";
import { PAGE_SIZES } from "@/lib/inventory/query";
import { positionSchema, type PageSize } from "@/lib/inventory/view";
import type { Outcome } from "./engine";
import { decisionListQuery, type DecisionListItem, type DecisionListQuery } from "./decisions";

// What the Decisions page shows: the list query and the table's position,
// from the URL. A bad param does not break the page: it is left out, the rest
// of the view stays, and the page says which param it was (as Approvals does).

export interface DecisionListView {
  query: DecisionListQuery;
  page: number;
  pageSize: PageSize;
  /** Params that were refused and left out, with why. */
  refused: Record<string, string>;
}

type Params = Record<string, string | string[] | undefined>;

const single = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

const QUERY_PARAMS = Object.keys(decisionListQuery.shape);

export function parseDecisionListView(params: Params): DecisionListView {
  const refused: Record<string, string> = {};
  let record = Object.fromEntries(QUERY_PARAMS.map((name) => [name, single(params[name])]));
  let parsed = decisionListQuery.safeParse(record);
  if (!parsed.success) {
    const fields = fieldErrorsFromZod(parsed.error);
    Object.assign(refused, fields);
    record = Object.fromEntries(Object.entries(record).filter(([name]) => !(name in fields)));
    parsed = decisionListQuery.safeParse(record);
  }
  const query = parsed.success ? parsed.data : decisionListQuery.parse({});
  const position = positionSchema.safeParse({ page: single(params.page), pageSize: single(params.pageSize) });
  if (!position.success) Object.assign(refused, fieldErrorsFromZod(position.error));
  const { page, pageSize } = position.success ? position.data : { page: 1, pageSize: PAGE_SIZES[0] };
  return { query, page, pageSize: pageSize as PageSize, refused };
}

/** What the browser table needs of a decision: plain values, dates as ISO strings. */
export interface DecisionTableRow {
  id: string;
  createdAt: string;
  identityId: string;
  identityName: string;
  action: string;
  resourceType: "System" | "Tool";
  resourceId: string;
  /** The system's or tool's name; null for a system since deleted. */
  resourceName: string | null;
  outcome: Outcome;
  policyIds: string[];
  reasons: string[];
  latencyMicros: number;
}

export function toDecisionTableRow(item: DecisionListItem): DecisionTableRow {
  return {
    id: item.id,
    createdAt: item.createdAt.toISOString(),
    identityId: item.identity.id,
    identityName: item.identity.name,
    action: item.action,
    resourceType: item.resource.type,
    resourceId: item.resource.id,
    resourceName: item.resource.name,
    outcome: item.outcome,
    policyIds: item.policyIds,
    reasons: item.reasons,
    latencyMicros: item.latencyMicros,
  };
}
