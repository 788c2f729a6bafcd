"use client";

import { choicesOf, FILTER_INPUT_CLASS, FilterButtons, FilterSelect, useFilterForm } from "@/components/data-table/filter-form";
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
        <FilterSelect name="status" label="Status" any="Any status" value={query.status} choices={choicesOf(APPROVAL_STATUS_LABELS)} />
      ) : null}
      <FilterSelect name="catalogKey" label="Kind of change" any="Any kind" value={query.catalogKey} choices={kinds} />
      <FilterSelect name="rule" label="Rule" any="Any rule" value={query.rule} choices={rules} />
      <FilterButtons onClear={filters.clear} />
    </form>
  );
}
