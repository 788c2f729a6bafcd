"use client";

import { choicesOf, FILTER_INPUT_CLASS, FilterButtons, FilterSelect, useFilterForm } from "@/components/data-table/filter-form";
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
      <FilterSelect name="severity" label="Severity" any="Any severity" value={query.severity} choices={choicesOf(SEVERITY_LABELS)} />
      <FilterSelect name="detector" label="Detector" any="Any detector" value={query.detector} choices={choicesOf(DETECTOR_LABELS)} />
      <FilterSelect
        name="repository"
        label="Repository"
        any="Any repository"
        value={query.repository}
        choices={repositories.map((name) => ({ value: name, label: name }))}
      />
      <FilterSelect
        name="environment"
        label="Environment"
        any="Any environment"
        value={query.environment}
        choices={choicesOf(ENVIRONMENT_LABELS)}
      />
      <FilterButtons onClear={filters.clear} />
    </form>
  );
}
