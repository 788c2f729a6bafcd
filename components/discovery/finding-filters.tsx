"use client";

import { useRouter, useSearchParams } from "next/navigation";
import type { FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { DETECTOR_LABELS, SEVERITY_LABELS } from "@/lib/discovery/labels";
import type { FindingListQuery } from "@/lib/discovery/queries";
import { ENVIRONMENT_LABELS } from "@/lib/inventory/labels";

// The queue's filter bar writes the URL (a GET form, enhanced), as the
// approvals' does: a filtered queue can be shared and the back button returns
// to the previous one. Params it does not own (view, sort, page size, hidden
// columns) are kept; the page number starts again at 1.

const FORM_PARAMS = ["q", "severity", "detector", "repository", "environment"];
const VIEW_PARAMS = ["view", "sort", "dir", "pageSize", "hide"];

const inputClass = "mt-0.5 block w-full rounded border border-slate-300 bg-white px-2 py-1 text-sm";

export function FindingFilters({ query, repositories }: { query: FindingListQuery; repositories: string[] }) {
  const router = useRouter();
  const searchParams = useSearchParams();

  function navigate(params: URLSearchParams) {
    const search = params.toString();
    router.push(search ? `/discovered?${search}` : "/discovered", { scroll: false });
  }

  function apply(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const params = new URLSearchParams(searchParams.toString());
    for (const name of [...FORM_PARAMS, "page"]) params.delete(name);
    for (const name of FORM_PARAMS) {
      const value = String(form.get(name) ?? "").trim();
      if (value) params.set(name, value);
    }
    navigate(params);
  }

  function clear() {
    const params = new URLSearchParams();
    for (const name of VIEW_PARAMS) for (const value of searchParams.getAll(name)) params.append(name, value);
    navigate(params);
  }

  return (
    <form
      method="get"
      action="/discovered"
      onSubmit={apply}
      aria-label="Filters"
      className="flex flex-wrap items-end gap-2 rounded-md border border-slate-200 bg-white p-3"
    >
      {/* Without JavaScript the form submits itself: these keep the view and the table's settings. */}
      {VIEW_PARAMS.map((name) => {
        const value = searchParams.get(name);
        return value ? <input key={name} type="hidden" name={name} value={value} /> : null;
      })}
      <label className="min-w-56 flex-1 text-xs font-medium text-slate-700">
        Search
        <input type="search" name="q" defaultValue={query.q ?? ""} placeholder="Title, tool, file or repository" className={inputClass} />
      </label>
      <label className="text-xs font-medium text-slate-700">
        Severity
        <select name="severity" defaultValue={query.severity ?? ""} className={inputClass}>
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
        <select name="detector" defaultValue={query.detector ?? ""} className={inputClass}>
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
        <select name="repository" defaultValue={query.repository ?? ""} className={inputClass}>
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
        <select name="environment" defaultValue={query.environment ?? ""} className={inputClass}>
          <option value="">Any environment</option>
          {Object.entries(ENVIRONMENT_LABELS).map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
      </label>
      <div className="ml-auto flex gap-2">
        <Button type="button" variant="secondary" onClick={clear}>
          Clear filters
        </Button>
        <Button type="submit">Apply filters</Button>
      </div>
    </form>
  );
}
