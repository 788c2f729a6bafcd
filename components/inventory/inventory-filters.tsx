"use client";

import { useState } from "react";
import { FILTER_INPUT_CLASS, FilterButtons, FilterSelect, useFilterForm } from "@/components/data-table/filter-form";
import { Autonomy, Environment, IdentityKind, IdentityStatus, RiskTier } from "@/lib/db/generated/enums";
import type { InventoryQuery } from "@/lib/inventory/query";
import { PersonPicker, type PersonChoice } from "@/components/person-picker";
import { AUTONOMY_LABELS, ENVIRONMENT_LABELS, KIND_LABELS, RISK_LABELS, STATUS_LABELS } from "@/lib/inventory/labels";

// The filter bar writes the URL (a GET form, enhanced): applying filters is a
// navigation, so the view can be shared and the back button returns to the
// previous one. Params it does not own (sort, page size, hidden columns, a
// dashboard's credentialAge link) are kept; the page number starts again at 1.

const MULTI = [
  { name: "status", label: "Status", options: Object.values(IdentityStatus).map((value) => ({ value, label: STATUS_LABELS[value] })) },
  { name: "kind", label: "Kind", options: Object.values(IdentityKind).map((value) => ({ value, label: KIND_LABELS[value] })) },
  {
    name: "environment",
    label: "Environment",
    options: Object.values(Environment).map((value) => ({ value, label: ENVIRONMENT_LABELS[value] })),
  },
  { name: "risk", label: "Risk tier", options: Object.values(RiskTier).map((value) => ({ value, label: RISK_LABELS[value] })) },
  { name: "autonomy", label: "Autonomy", options: Object.values(Autonomy).map((value) => ({ value, label: AUTONOMY_LABELS[value] })) },
] as const;

const FLAGS = [
  { name: "reviewOverdue", label: "Review overdue" },
  { name: "longLivedCredential", label: "Has long-lived credential" },
  { name: "orphaned", label: "Orphaned" },
] as const;

const SINGLE = ["q", "ownerId", "teamId", "expiresWithinDays"] as const;
/** Every param this form writes; anything else in the URL is left as it is. */
const FORM_PARAMS: string[] = [...MULTI.map((filter) => filter.name), ...FLAGS.map((flag) => flag.name), ...SINGLE];
/** Params that are not filters: "Clear" keeps them. */
const VIEW_PARAMS = ["sort", "dir", "pageSize", "hide"];

type Choice = { id: string; label: string };

export function InventoryFilters({ query, owner, teams }: { query: InventoryQuery; owner: PersonChoice | null; teams: Choice[] }) {
  const filters = useFilterForm({ fields: FORM_PARAMS, keep: VIEW_PARAMS });

  const selected: Record<string, readonly string[] | undefined> = {
    status: query.status,
    kind: query.kind,
    environment: query.environment,
    risk: query.risk,
    autonomy: query.autonomy,
  };

  return (
    <form
      method="get"
      action="/inventory"
      onSubmit={filters.apply}
      aria-label="Filters"
      className="space-y-2 rounded-md border border-slate-200 bg-white p-3"
    >
      <div className="grid grid-cols-2 gap-2 md:grid-cols-4 xl:grid-cols-6">
        <label className="col-span-2 text-xs font-medium text-slate-700">
          Search
          <input
            type="search"
            name="q"
            defaultValue={query.q ?? ""}
            placeholder="Name, vendor, product, model or purpose"
            className={FILTER_INPUT_CLASS}
          />
        </label>
        {MULTI.map((filter) => (
          <MultiSelect
            key={filter.name}
            name={filter.name}
            label={filter.label}
            options={filter.options}
            selected={selected[filter.name] ?? []}
          />
        ))}
        <PersonPicker name="ownerId" label="Owner" initial={owner} placeholder="Anyone" />
        <FilterSelect
          name="teamId"
          label="Team"
          any="Any team"
          value={query.teamId}
          choices={teams.map((team) => ({ value: team.id, label: team.label }))}
        />
        <label className="text-xs font-medium text-slate-700">
          Expires within (days)
          <input
            type="number"
            name="expiresWithinDays"
            min={0}
            max={3650}
            step={1}
            defaultValue={query.expiresWithinDays ?? ""}
            className={FILTER_INPUT_CLASS}
          />
        </label>
      </div>
      <div className="flex flex-wrap items-center gap-x-4 gap-y-2 text-sm">
        {FLAGS.map((flag) => (
          <label key={flag.name} className="flex items-center gap-1.5">
            <input type="checkbox" name={flag.name} value="1" defaultChecked={query[flag.name] === true} /> {flag.label}
          </label>
        ))}
        <FilterButtons onClear={filters.clear} />
      </div>
    </form>
  );
}

/** A compact multi-select: a disclosure of checkboxes whose summary shows what is chosen. */
function MultiSelect({
  name,
  label,
  options,
  selected,
}: {
  name: string;
  label: string;
  options: readonly { value: string; label: string }[];
  selected: readonly string[];
}) {
  const [checked, setChecked] = useState<readonly string[]>(selected);
  const chosen = options.filter((option) => checked.includes(option.value)).map((option) => option.label);
  function toggle(value: string, on: boolean) {
    setChecked((current) => (on ? [...current, value] : current.filter((item) => item !== value)));
  }
  return (
    <div className="text-xs font-medium text-slate-700">
      <span aria-hidden="true">{label}</span>
      <details className="relative mt-0.5">
        <summary className="cursor-pointer list-none truncate rounded border border-slate-300 bg-white px-2 py-1 text-sm font-normal text-slate-800">
          <span className="sr-only">{label}: </span>
          {chosen.length === 0 ? "Any" : chosen.join(", ")}
        </summary>
        <fieldset className="absolute z-10 mt-1 w-48 space-y-1 rounded-md border border-slate-200 bg-white p-2 font-normal shadow-md">
          <legend className="sr-only">{label}</legend>
          {options.map((option) => (
            <label key={option.value} className="flex items-center gap-2 text-sm">
              <input
                type="checkbox"
                name={name}
                value={option.value}
                checked={checked.includes(option.value)}
                onChange={(event) => toggle(option.value, event.target.checked)}
              />{" "}
              {option.label}
            </label>
          ))}
        </fieldset>
      </details>
    </div>
  );
}
