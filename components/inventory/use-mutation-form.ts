"use client";

import { useActionState, useSyncExternalStore } from "react";
import type { ActionState } from "@/lib/auth/action";
import { detectSecret } from "@/lib/security/secret-detector";

// The inventory forms' shared behaviour around a mutationAction:
// - after a refusal the form shows what was typed again, except anything that
//   looks like a secret: that is dropped in the browser and never shown back;
// - after a success the form starts over from its initial values;
// - date inputs mean a day in the viewer's own time zone;
// - edit forms send only what changed, so untouched fields (an expiry already
//   in the past, a review cadence that would restart the review clock) are
//   left alone.

export type ServerAction = (state: ActionState, formData: FormData) => Promise<ActionState>;

export interface MutationFormOptions {
  /** The fields' starting values, and what they return to after a success. */
  initial?: Record<string, string>;
  /** Date inputs (YYYY-MM-DD) sent as the start or the end of that day in the viewer's zone. */
  dates?: Record<string, "start" | "end">;
  /** Send only fields that differ from `initial`, plus those named in `always` (ids). */
  onlyChanged?: boolean;
  always?: string[];
  /** Runs after the server accepted the change, e.g. to open what was created. */
  onSuccess?: (state: Extract<ActionState, { status: "ok" }>) => void;
}

interface FormState {
  result: ActionState;
  /** Counts answers from the server; the form is re-created with each one. */
  answered: number;
  /** What was submitted last (a name may repeat, e.g. checkboxes), secrets removed; empty after a success. */
  submitted: [string, string][];
}

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** "2027-03-31" → that day's first or last millisecond in the viewer's zone, as ISO 8601. */
export function localDayToIso(value: string, edge: "start" | "end"): string {
  const match = DATE_ONLY.exec(value);
  if (!match) return value;
  const [, year, month, day] = match;
  const date = edge === "start" ? new Date(+year!, +month! - 1, +day!, 0, 0, 0, 0) : new Date(+year!, +month! - 1, +day!, 23, 59, 59, 999);
  return Number.isNaN(date.getTime()) ? value : date.toISOString();
}

function pad(value: number): string {
  return String(value).padStart(2, "0");
}

/** An instant as the YYYY-MM-DD a date input shows: the viewer's day once in the browser, UTC while rendering on the server. */
export function isoToDateInput(iso: string | null | undefined, local: boolean): string {
  if (!iso) return "";
  if (!local) return iso.slice(0, 10);
  const date = new Date(iso);
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

const noSubscription = () => () => {};

/** False during server rendering and hydration, true afterwards: for values that depend on the viewer's zone. */
export function useInBrowser(): boolean {
  return useSyncExternalStore(
    noSubscription,
    () => true,
    () => false,
  );
}

function entriesOf(formData: FormData): [string, string][] {
  const entries: [string, string][] = [];
  for (const [key, value] of formData) if (typeof value === "string" && !key.startsWith("$ACTION")) entries.push([key, value]);
  return entries;
}

function payloadOf(submitted: [string, string][], options: MutationFormOptions): FormData {
  const payload = new FormData();
  for (const [key, value] of submitted) {
    const unchanged = value === (options.initial?.[key] ?? "");
    if (options.onlyChanged && unchanged && !options.always?.includes(key)) continue;
    const edge = options.dates?.[key];
    payload.append(key, edge ? localDayToIso(value, edge) : value);
  }
  return payload;
}

export function useMutationForm(action: ServerAction, options: MutationFormOptions = {}) {
  const [state, formAction, pending] = useActionState(
    async (previous: FormState, formData: FormData): Promise<FormState> => {
      const submitted = entriesOf(formData);
      const result = await action(previous.result, payloadOf(submitted, options));
      if (result.status === "ok") options.onSuccess?.(result);
      const kept = submitted.filter(([, value]) => !detectSecret(value));
      const accepted = result.status === "ok" || result.status === "sent_for_approval";
      return { result, answered: previous.answered + 1, submitted: accepted ? [] : kept };
    },
    { result: { status: "idle" }, answered: 0, submitted: [] },
  );
  const values: Record<string, string> = { ...options.initial, ...Object.fromEntries(state.submitted) };
  return {
    state: state.result,
    formAction,
    pending,
    /** Give this to the <form> as its key, so fields take their values afresh after each answer. */
    formKey: state.answered,
    value: (name: string) => values[name] ?? "",
    /** Every value submitted under a repeated name (checkboxes), to tick them again after a refusal. */
    values: (name: string) => state.submitted.filter(([key]) => key === name).map(([, value]) => value),
  };
}
