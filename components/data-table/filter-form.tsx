"use client";

import { usePathname, useRouter, useSearchParams } from "next/navigation";
import type { FormEvent } from "react";
import { Button } from "@/components/ui/button";

// A list's filter bar writes the URL (a GET form, enhanced): applying filters
// is a navigation, so a view can be shared and the back button returns to the
// previous one. The inventory, approvals, decisions, activity and discovered
// lists all filter this way; each lays out its own fields.

export const FILTER_INPUT_CLASS = "mt-0.5 block w-full rounded border border-slate-300 bg-white px-2 py-1 text-sm";

/**
 * `fields` are the params the form writes; `keep` the ones it does not own
 * (view, sort, page size, hidden columns), which "Clear filters" keeps too.
 * Any other param in the URL (a link's identity filter, say) survives
 * "Apply" and goes with "Clear". The page number starts again at 1.
 */
export function useFilterForm({ fields, keep }: { fields: readonly string[]; keep: readonly string[] }) {
  const router = useRouter();
  const pathname = usePathname();
  const searchParams = useSearchParams();

  function navigate(params: URLSearchParams) {
    const search = params.toString();
    router.push(search ? `${pathname}?${search}` : pathname, { scroll: false });
  }

  return {
    /** The form's onSubmit: its fields replace theirs in the URL; a field with several values (checkboxes) is joined by commas. */
    apply(event: FormEvent<HTMLFormElement>) {
      event.preventDefault();
      const form = new FormData(event.currentTarget);
      const params = new URLSearchParams(searchParams.toString());
      for (const name of [...fields, "page"]) params.delete(name);
      for (const name of fields) {
        const values = form
          .getAll(name)
          .map((value) => String(value).trim())
          .filter(Boolean);
        if (values.length > 0) params.set(name, values.join(","));
      }
      navigate(params);
    },
    clear() {
      const params = new URLSearchParams();
      for (const name of keep) for (const value of searchParams.getAll(name)) params.append(name, value);
      navigate(params);
    },
    /** Drops these params (and the page number) and shows the result: a link's filter shown above the fields. */
    remove(...names: string[]) {
      const params = new URLSearchParams(searchParams.toString());
      for (const name of [...names, "page"]) params.delete(name);
      navigate(params);
    },
    /** Without JavaScript the form submits itself: hidden inputs carry these params (`keep` unless named) through it. */
    hiddenInputs(names: readonly string[] = keep) {
      return names.flatMap((name) =>
        searchParams.getAll(name).map((value, index) => <input key={`${name}-${index}`} type="hidden" name={name} value={value} />),
      );
    },
  };
}

export interface FilterChoice {
  value: string;
  label: string;
}

/** A label map ({ ACTIVE: "Active", … }) as a select's choices, in its order. */
export function choicesOf(labels: Readonly<Record<string, string>>): FilterChoice[] {
  return Object.entries(labels).map(([value, label]) => ({ value, label }));
}

/** One labelled select of a filter bar: "Any …" (no filter) first, then the choices. */
export function FilterSelect({
  name,
  label,
  any,
  value,
  choices,
}: {
  name: string;
  label: string;
  /** The no-filter choice, e.g. "Any status". */
  any: string;
  value: string | undefined;
  choices: readonly FilterChoice[];
}) {
  return (
    <label className="text-xs font-medium text-slate-700">
      {label}
      <select name={name} defaultValue={value ?? ""} className={FILTER_INPUT_CLASS}>
        <option value="">{any}</option>
        {choices.map((choice) => (
          <option key={choice.value} value={choice.value}>
            {choice.label}
          </option>
        ))}
      </select>
    </label>
  );
}

/** "Clear filters" and "Apply filters", at the end of the bar. */
export function FilterButtons({ onClear }: { onClear: () => void }) {
  return (
    <div className="ml-auto flex gap-2">
      <Button type="button" variant="secondary" onClick={onClear}>
        Clear filters
      </Button>
      <Button type="submit">Apply filters</Button>
    </div>
  );
}
