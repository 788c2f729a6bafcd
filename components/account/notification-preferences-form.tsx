"use client";

import { useActionState } from "react";
import { Button } from "@/components/ui/button";
import { FormMessage } from "@/components/ui/form-message";
import type { ActionState } from "@/lib/auth/action";

type Action = (state: ActionState, formData: FormData) => Promise<ActionState>;

export interface PreferenceRow {
  kind: string;
  label: string;
  /** The current choice, or null for the kinds that always go by email. */
  delivery: "EMAIL" | "DIGEST" | "NONE" | null;
}

const CHOICES = [
  ["EMAIL", "Email"],
  ["DIGEST", "Daily digest"],
  ["NONE", "None"],
] as const;

/** One row per kind of message, a radio group each: the whole table is one form, saved at once. */
export function NotificationPreferencesForm({ action, rows }: { action: Action; rows: PreferenceRow[] }) {
  const [state, formAction, pending] = useActionState(action, { status: "idle" });
  const error = (kind: string) => (state.status === "error" ? state.fields?.[kind] : undefined);
  return (
    <form action={formAction} aria-label="Your notifications" className="space-y-3">
      <table className="w-full max-w-4xl border-collapse rounded-md border border-slate-200 bg-white text-sm">
        <thead className="bg-slate-50 text-left text-xs font-medium text-slate-600">
          <tr>
            <th scope="col" className="px-3 py-2">
              Message
            </th>
            {CHOICES.map(([value, label]) => (
              <th key={value} scope="col" className="w-28 px-3 py-2 text-center">
                {label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {rows.map((row) => (
            <tr key={row.kind}>
              <th scope="row" className="px-3 py-2 text-left font-normal text-slate-800">
                {row.label}
                {error(row.kind) ? <span className="block text-xs text-red-700">{error(row.kind)}</span> : null}
              </th>
              {row.delivery === null ? (
                <td colSpan={3} className="px-3 py-2 text-center text-xs text-slate-600">
                  Always by email
                </td>
              ) : (
                CHOICES.map(([value, label]) => (
                  <td key={value} className="px-3 py-2 text-center">
                    <input
                      type="radio"
                      name={row.kind}
                      value={value}
                      defaultChecked={row.delivery === value}
                      aria-label={`${row.label}: ${label}`}
                    />
                  </td>
                ))
              )}
            </tr>
          ))}
        </tbody>
      </table>
      <div className="flex items-center gap-3">
        <Button type="submit" disabled={pending}>
          Save
        </Button>
        <FormMessage state={state} />
      </div>
    </form>
  );
}
