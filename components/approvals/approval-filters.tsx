"use client";

import { FILTER_INPUT_CLASS, FilterButtons, useFilterForm } from "@/components/data-table/filter-form";
import { APPROVAL_STATUS_LABELS } from "@/lib/approvals/labels";
import type { ApprovalListQuery } from "@/lib/approvals/queries";

// The filter bar writes the URL (a GET form, enhanced), as the inventory's
// does: applying filters is a navigation, so a view can be shared and the back
// button returns to the previous one. Params it does not own (view, sort,
// page size, hidden columns) are kept; the page number starts again at 1.

/** Every param this form writes. */
const FORM_PARAMS = ["q", "status", "catalogKey", "rule"];
/** Params that are not filters: "Clear" keeps them. */
const VIEW_PARAMS = ["view", "sort", "dir", "pageSize", "hide"];

type Choice = { value: string; label: string };

export function ApprovalFilters({
  query,
  kinds,
  rules,
  showStatus,
}: {
  query: ApprovalListQuery;
  kinds: Choice[];
  rules: Choice[];
  /** The waiting view holds pending requests only, so it offers no status filter. */
  showStatus: boolean;
}) {
  const filters = useFilterForm({ fields: FORM_PARAMS, keep: VIEW_PARAMS });

  return (
    <form
      method="get"
      action="/approvals"
      onSubmit={filters.apply}
      aria-label="Filters"
      className="flex flex-wrap items-end gap-2 rounded-md border border-slate-200 bg-white p-3"
    >
      {/* Without JavaScript the form submits itself: these keep the view and the table's settings. */}
      {filters.hiddenInputs()}
      <label className="min-w-64 flex-1 text-xs font-medium text-slate-700">
        Search
        <input
          type="search"
          name="q"
          defaultValue={query.q ?? ""}
          placeholder="Change, identity, or requester's name or email"
          className={FILTER_INPUT_CLASS}
        />
      </label>
      {showStatus ? (
        <label className="text-xs font-medium text-slate-700">
          Status
          <select name="status" defaultValue={query.status ?? ""} className={FILTER_INPUT_CLASS}>
            <option value="">Any status</option>
            {Object.entries(APPROVAL_STATUS_LABELS).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </label>
      ) : null}
      <label className="text-xs font-medium text-slate-700">
        Kind of change
        <select name="catalogKey" defaultValue={query.catalogKey ?? ""} className={FILTER_INPUT_CLASS}>
          <option value="">Any kind</option>
          {kinds.map((kind) => (
            <option key={kind.value} value={kind.value}>
              {kind.label}
            </option>
          ))}
        </select>
      </label>
      <label className="text-xs font-medium text-slate-700">
        Rule
        <select name="rule" defaultValue={query.rule ?? ""} className={FILTER_INPUT_CLASS}>
          <option value="">Any rule</option>
          {rules.map((rule) => (
            <option key={rule.value} value={rule.value}>
              {rule.label}
            </option>
          ))}
        </select>
      </label>
      <FilterButtons onClear={filters.clear} />
    </form>
  );
}
