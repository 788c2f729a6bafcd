"use client";

import { useRouter, useSearchParams } from "next/navigation";
import type { FormEvent } from "react";
import { Button } from "@/components/ui/button";
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

const inputClass = "mt-0.5 block w-full rounded border border-slate-300 bg-white px-2 py-1 text-sm";

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
  const router = useRouter();
  const searchParams = useSearchParams();

  function navigate(params: URLSearchParams) {
    const search = params.toString();
    router.push(search ? `/approvals?${search}` : "/approvals", { scroll: false });
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
      action="/approvals"
      onSubmit={apply}
      aria-label="Filters"
      className="flex flex-wrap items-end gap-2 rounded-md border border-slate-200 bg-white p-3"
    >
      {/* Without JavaScript the form submits itself: these keep the view and the table's settings. */}
      {VIEW_PARAMS.map((name) => {
        const value = searchParams.get(name);
        return value ? <input key={name} type="hidden" name={name} value={value} /> : null;
      })}
      <label className="min-w-64 flex-1 text-xs font-medium text-slate-700">
        Search
        <input
          type="search"
          name="q"
          defaultValue={query.q ?? ""}
          placeholder="Change, identity, or requester's name or email"
          className={inputClass}
        />
      </label>
      {showStatus ? (
        <label className="text-xs font-medium text-slate-700">
          Status
          <select name="status" defaultValue={query.status ?? ""} className={inputClass}>
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
        <select name="catalogKey" defaultValue={query.catalogKey ?? ""} className={inputClass}>
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
        <select name="rule" defaultValue={query.rule ?? ""} className={inputClass}>
          <option value="">Any rule</option>
          {rules.map((rule) => (
            <option key={rule.value} value={rule.value}>
              {rule.label}
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
