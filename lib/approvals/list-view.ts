import { can, type Actor } from "@/lib/auth/actor";
import { fieldErrorsFromZod } from "@/lib/errors";
import { PAGE_SIZES } from "@/lib/inventory/query";
import { positionSchema, type PageSize } from "@/lib/inventory/view";
import { timeLeft } from "./labels";
import { approvalListQuery, type ApprovalListItem, type ApprovalListQuery } from "./queries";

// What the Approvals page shows: the list query (view, filters, sort) and the
// table's position, from the URL. A bad param does not break the page: it is
// left out, the rest of the view stays, and the page says which param it was.

export interface ApprovalListView {
  query: ApprovalListQuery;
  page: number;
  pageSize: PageSize;
  /** Params that were refused and left out, with why. */
  refused: Record<string, string>;
}

type Params = Record<string, string | string[] | undefined>;

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

const QUERY_PARAMS = Object.keys(approvalListQuery.shape);

export function parseApprovalListView(params: Params, actor: Actor): ApprovalListView {
  const refused: Record<string, string> = {};
  let record = Object.fromEntries(QUERY_PARAMS.map((name) => [name, single(params[name])]));
  let parsed = approvalListQuery.safeParse(record);
  if (!parsed.success) {
    const fields = fieldErrorsFromZod(parsed.error);
    Object.assign(refused, fields);
    record = Object.fromEntries(Object.entries(record).filter(([name]) => !(name in fields)));
    parsed = approvalListQuery.safeParse(record);
  }
  const query = parsed.success ? parsed.data : approvalListQuery.parse({});
  // Everyone may open the page; only those who read every request get the views of all of them.
  if ((query.view === "all" || query.view === "history") && !can(actor, "approvals:read")) {
    refused.view = "all and history are for security leads, admins and auditors";
    Object.assign(query, { view: "waiting", sort: undefined, dir: undefined });
  }
  const position = positionSchema.safeParse({ page: single(params.page), pageSize: single(params.pageSize) });
  if (!position.success) Object.assign(refused, fieldErrorsFromZod(position.error));
  const { page, pageSize } = position.success ? position.data : { page: 1, pageSize: PAGE_SIZES[0] };
  return { query, page, pageSize: pageSize as PageSize, refused };
}

/** What the browser table needs of a request: plain values, dates as ISO strings. */
export interface ApprovalTableRow {
  id: string;
  summary: string;
  catalogLabel: string;
  status: ApprovalListItem["status"];
  breakGlass: boolean;
  waitingFor: string | null;
  requesterName: string;
  identityName: string | null;
  ruleName: string;
  riskBefore: ApprovalListItem["riskBefore"];
  riskAfter: ApprovalListItem["riskAfter"];
  createdAt: string;
  expiresAt: string;
  /** "2 days left" while pending, else null. */
  timeLeft: string | null;
}

export function toApprovalTableRow(item: ApprovalListItem, now: Date): ApprovalTableRow {
  return {
    id: item.id,
    summary: item.summary,
    catalogLabel: item.catalogLabel,
    status: item.status,
    breakGlass: item.breakGlass,
    waitingFor: item.waitingForLevel ? `Level ${item.waitingForLevel.number} of ${item.levelCount}: ${item.waitingForLevel.name}` : null,
    requesterName: item.requester.name ?? item.requester.email,
    identityName: item.identity?.name ?? null,
    ruleName: item.rule.name,
    riskBefore: item.riskBefore,
    riskAfter: item.riskAfter,
    createdAt: item.createdAt.toISOString(),
    expiresAt: item.expiresAt.toISOString(),
    timeLeft: item.status === "PENDING" ? timeLeft(item.expiresAt, now) : null,
  };
}
