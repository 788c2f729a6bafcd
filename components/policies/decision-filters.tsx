"use client";

import { useSearchParams } from "next/navigation";
import { choicesOf, FILTER_INPUT_CLASS, FilterButtons, FilterSelect, useFilterForm } from "@/components/data-table/filter-form";
import { Button } from "@/components/ui/button";
import { ACTION_LABELS, OUTCOME_LABELS } from "@/lib/policy/decision-labels";

// The Decisions log's filter bar writes the URL (a GET form, enhanced), as
// the approvals' does: a view can be shared and the back button returns to
// the previous one. The identity filter comes from a link (an identity's page,
// "only this identity"), so it is shown and kept but not typed here.

/** Every param this form writes. */
const FORM_PARAMS = ["q", "outcome", "action", "resource", "policy", "from", "to"];
/** Params that are not typed into the form: "Clear" keeps the table's settings. */
const VIEW_PARAMS = ["sort", "dir", "pageSize", "hide"];

export function DecisionFilters({ policyIds, identityName }: { policyIds: string[]; identityName: string | null }) {
  const filters = useFilterForm({ fields: FORM_PARAMS, keep: VIEW_PARAMS });
  const searchParams = useSearchParams();
  const value = (name: string) => searchParams.get(name) ?? "";

  return (
    <form
      method="get"
      action="/decisions"
      onSubmit={filters.apply}
      aria-label="Filters"
      className="flex flex-wrap items-end gap-2 rounded-md border border-slate-200 bg-white p-3"
    >
      {/* Without JavaScript the form submits itself: these keep the identity and the table's settings. */}
      {filters.hiddenInputs(["identity", ...VIEW_PARAMS])}
      {searchParams.get("identity") ? (
        <p className="flex w-full items-center gap-2 text-sm text-slate-700">
          Only the decisions of <strong>{identityName ?? "an identity no longer in the inventory"}</strong>
          <Button type="button" variant="secondary" onClick={() => filters.remove("identity")}>
            Every identity
          </Button>
        </p>
      ) : null}
      <label className="min-w-56 flex-1 text-xs font-medium text-slate-700">
        Search
        <input
          type="search"
          name="q"
          defaultValue={value("q")}
          placeholder="Identity, tool, task id or intent"
          className={FILTER_INPUT_CLASS}
        />
      </label>
      <FilterSelect name="outcome" label="Outcome" any="Any outcome" value={value("outcome")} choices={choicesOf(OUTCOME_LABELS)} />
      <FilterSelect name="action" label="Action" any="Any action" value={value("action")} choices={choicesOf(ACTION_LABELS)} />
      <label className="text-xs font-medium text-slate-700">
        Tool or system id
        <input name="resource" defaultValue={value("resource")} placeholder="Bash" className={FILTER_INPUT_CLASS} />
      </label>
      <FilterSelect
        name="policy"
        label="Policy"
        any="Any policy"
        value={value("policy")}
        choices={[...new Set([...policyIds, ...(value("policy") ? [value("policy")] : [])])].map((id) => ({ value: id, label: id }))}
      />
      <label className="text-xs font-medium text-slate-700">
        From (UTC)
        <input name="from" defaultValue={value("from")} placeholder="YYYY-MM-DD" className={`${FILTER_INPUT_CLASS} w-36`} />
      </label>
      <label className="text-xs font-medium text-slate-700">
        To (UTC)
        <input name="to" defaultValue={value("to")} placeholder="YYYY-MM-DD" className={`${FILTER_INPUT_CLASS} w-36`} />
      </label>
      <FilterButtons onClear={filters.clear} />
    </form>
  );
}
