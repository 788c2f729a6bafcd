"use client";

import { choicesOf, FILTER_INPUT_CLASS, FilterButtons, FilterSelect, useFilterForm } from "@/components/data-table/filter-form";
import { ACTIVITY_FLAG_LABELS, ACTIVITY_KIND_LABELS } from "@/lib/events/labels";
import type { ActivityListQuery } from "@/lib/events/list";

// The Activity log's filter bar writes the URL (a GET form, enhanced), as the
// approvals' does: a filtered log can be shared and the back button returns to
// the previous one. The identity filter comes from links (an identity's page)
// and is kept until cleared; the page number starts again at 1.

/** Every param this form writes. */
const FORM_PARAMS = ["identity", "kind", "tool", "flagged", "flag", "from", "to"];
/** Params that are not filters: "Clear" keeps them. */
const VIEW_PARAMS = ["pageSize", "hide"];

const day = (date: Date | undefined) => (date ? date.toISOString().slice(0, 10) : "");

export function ActivityFilters({ query, identityName }: { query: ActivityListQuery; identityName: string | null }) {
  const filters = useFilterForm({ fields: FORM_PARAMS, keep: VIEW_PARAMS });

  return (
    <form
      method="get"
      action="/activity"
      onSubmit={filters.apply}
      aria-label="Filters"
      className="flex flex-wrap items-end gap-2 rounded-md border border-slate-200 bg-white p-3"
    >
      {filters.hiddenInputs()}
      {query.identity ? (
        <p className="text-xs font-medium text-slate-700">
          Identity
          <input type="hidden" name="identity" value={query.identity} />
          <span className="mt-0.5 block rounded bg-slate-100 px-2 py-1 text-sm">{identityName ?? query.identity}</span>
        </p>
      ) : null}
      <FilterSelect name="kind" label="Kind" any="Any kind" value={query.kind} choices={choicesOf(ACTIVITY_KIND_LABELS)} />
      <label className="text-xs font-medium text-slate-700">
        Tool
        <input type="text" name="tool" defaultValue={query.tool ?? ""} placeholder="e.g. Bash" className={FILTER_INPUT_CLASS} />
      </label>
      <FilterSelect name="flag" label="Flag" any="Any or none" value={query.flag} choices={choicesOf(ACTIVITY_FLAG_LABELS)} />
      <label className="flex items-center gap-1 self-center text-xs font-medium text-slate-700">
        <input type="checkbox" name="flagged" value="1" defaultChecked={query.flagged === "1"} />
        Flagged only
      </label>
      <label className="text-xs font-medium text-slate-700">
        From (UTC day)
        <input type="date" name="from" defaultValue={day(query.from)} className={FILTER_INPUT_CLASS} />
      </label>
      <label className="text-xs font-medium text-slate-700">
        Before (UTC day)
        <input type="date" name="to" defaultValue={day(query.to)} className={FILTER_INPUT_CLASS} />
      </label>
      <FilterButtons onClear={filters.clear} />
    </form>
  );
}
