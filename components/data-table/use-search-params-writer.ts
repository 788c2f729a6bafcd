"use client";

import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useCallback } from "react";

export type ParamChanges = Record<string, string | readonly string[] | null | undefined>;

/** The current search params with `changes` applied: null/undefined/"" removes a param, an array repeats it. */
export function withParams(current: URLSearchParams, changes: ParamChanges): URLSearchParams {
  const next = new URLSearchParams(current);
  for (const [name, value] of Object.entries(changes)) {
    next.delete(name);
    const values = typeof value === "string" ? [value] : (value ?? []);
    for (const item of values) if (item !== "") next.append(name, item);
  }
  return next;
}

/**
 * Writes table state into the URL so every view is a link and the back button
 * walks through them. "push" navigates (the server renders the new page) and
 * adds a history entry; "replace-local" only rewrites the address for state
 * the browser owns (column visibility), without a round trip.
 */
export function useSearchParamsWriter() {
  const router = useRouter();
  const pathname = usePathname();
  const searchParams = useSearchParams();
  return useCallback(
    (changes: ParamChanges, mode: "push" | "replace-local" = "push") => {
      const query = withParams(new URLSearchParams(searchParams.toString()), changes).toString();
      const href = query ? `${pathname}?${query}` : pathname;
      if (mode === "replace-local") window.history.replaceState(null, "", href);
      else router.push(href, { scroll: false });
    },
    [router, pathname, searchParams],
  );
}
