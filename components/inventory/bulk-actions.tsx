"use client";

import { useState } from "react";
import { PersonPicker } from "@/components/person-picker";
import { Button } from "@/components/ui/button";

/**
 * Actions on the selected rows. Both changes go through one all-or-nothing
 * server action (bulkUpdateIdentities); the export is a link to the CSV route
 * with the selected ids.
 */
export function BulkActions({
  selectedIds,
  canWrite,
  formAction,
  pending,
  exportHref,
}: {
  selectedIds: string[];
  canWrite: boolean;
  formAction: (formData: FormData) => void;
  pending: boolean;
  exportHref: string;
}) {
  const [confirmingSuspend, setConfirmingSuspend] = useState(false);
  const ids = selectedIds.map((id) => <input key={id} type="hidden" name="identityIds" value={id} />);
  const count = `${selectedIds.length} ${selectedIds.length === 1 ? "identity" : "identities"}`;

  return (
    <>
      {canWrite ? (
        <form action={formAction} aria-label="Assign an owner to the selected identities" className="flex items-center gap-2">
          <input type="hidden" name="action" value="assign_owner" />
          {ids}
          <PersonPicker name="ownerId" label="New owner" assignable required className="w-64" />
          <Button type="submit" variant="secondary" disabled={pending}>Assign owner</Button>
        </form>
      ) : null}
      {canWrite ? (
        confirmingSuspend ? (
          <form action={formAction} aria-label="Suspend the selected identities" className="flex items-center gap-2">
            <input type="hidden" name="action" value="suspend" />
            {ids}
            <span className="text-xs text-slate-700">Suspend {count}?</span>
            <Button type="submit" variant="danger" disabled={pending}>Confirm suspend</Button>
            <Button type="button" variant="secondary" onClick={() => setConfirmingSuspend(false)}>Cancel</Button>
          </form>
        ) : (
          <Button type="button" variant="danger" onClick={() => setConfirmingSuspend(true)}>Suspend…</Button>
        )
      ) : null}
      <a href={exportHref} download className="text-sm text-sky-700 hover:underline">
        Export selected (CSV)
      </a>
    </>
  );
}
