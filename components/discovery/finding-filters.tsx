"use client";

import { FILTER_INPUT_CLASS, FilterButtons, useFilterForm } from "@/components/data-table/filter-form";
import { DETECTOR_LABELS, SEVERITY_LABELS } from "@/lib/discovery/labels";
import type { FindingListQuery } from "@/lib/discovery/queries";
import { ENVIRONMENT_LABELS } from "@/lib/inventory/labels";

// The queue's filter bar writes the URL (a GET form, enhanced), as the
// approvals' does: a filtered queue can be shared and the back button returns
// to the previous one. Params it does not own (view, sort, page size, hidden
// columns) are kept; the page number starts again at 1.

const FORM_PARAMS = ["q", "severity", "detector", "repository", "environment"];
const VIEW_PARAMS = ["view", "sort", "dir", "pageSize", "hide"];

export function FindingFilters({ query, repositories }: { query: FindingListQuery; repositories: string[] }) {
  const filters = useFilterForm({ fields: FORM_PARAMS, keep: VIEW_PARAMS });

  return (
    <form
      method="get"
      action="/discovered"
      onSubmit={filters.apply}
      aria-label="Filters"
      className="flex flex-wrap items-end gap-2 rounded-md border border-slate-200 bg-white p-3"
    >
      {/* Without JavaScript the form submits itself: these keep the view and the table's settings. */}
      {filters.hiddenInputs()}
      <label className="min-w-56 flex-1 text-xs font-medium text-slate-700">
        Search
        <input
          type="search"
          name="q"
          defaultValue={query.q ?? ""}
          placeholder="Title, tool, file or repository"
          className={FILTER_INPUT_CLASS}
        />
      </label>
      <label className="text-xs font-medium text-slate-700">
        Severity
        <select name="severity" defaultValue={query.severity ?? ""} className={FILTER_INPUT_CLASS}>
          <option value="">Any severity</option>
          {Object.entries(SEVERITY_LABELS).map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
      </label>
      <label className="text-xs font-medium text-slate-700">
        Detector
        <select name="detector" defaultValue={query.detector ?? ""} className={FILTER_INPUT_CLASS}>
          <option value="">Any detector</option>
          {Object.entries(DETECTOR_LABELS).map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
      </label>
      <label className="text-xs font-medium text-slate-700">
        Repository
        <select name="repository" defaultValue={query.repository ?? ""} className={FILTER_INPUT_CLASS}>
          <option value="">Any repository</option>
          {repositories.map((name) => (
            <option key={name} value={name}>
              {name}
            </option>
          ))}
        </select>
      </label>
      <label className="text-xs font-medium text-slate-700">
        Environment
        <select name="environment" defaultValue={query.environment ?? ""} className={FILTER_INPUT_CLASS}>
          <option value="">Any environment</option>
          {Object.entries(ENVIRONMENT_LABELS).map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
      </label>
      <FilterButtons onClear={filters.clear} />
    </form>
  );
}
