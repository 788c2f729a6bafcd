"use server";

import { mutationAction } from "@/lib/auth/action";
import { importIdentities } from "@/lib/inventory/csv-import";

/** Said only when some rows need approval, so an ordinary import reads as before. */
function approvals(requested: number, verb: string) {
  return requested > 0 ? `, ${requested} ${verb} for approval` : "";
}

export const previewImportAction = mutationAction(importIdentities, {
  success: (result) =>
    result.failed > 0
      ? `${result.failed} of ${result.rows.length} rows have errors. Fix them and preview again.`
      : `Ready: ${result.created} to create, ${result.updated} to update, ${result.unchanged} unchanged${approvals(result.requested, "to send")}.`,
  returnResult: true,
  dryRun: true,
});

export const importIdentitiesAction = mutationAction(importIdentities, {
  success: (result) =>
    `Imported: ${result.created} created, ${result.updated} updated, ${result.unchanged} unchanged${approvals(result.requested, "sent")}.`,
  revalidate: "/inventory",
  returnResult: true,
});
