"use server";

import { mutationAction } from "@/lib/auth/action";
import { importIdentities } from "@/lib/inventory/csv-import";

export const previewImportAction = mutationAction(importIdentities, {
  success: (result) =>
    result.failed > 0
      ? `${result.failed} of ${result.rows.length} rows have errors. Fix them and preview again.`
      : `Ready: ${result.created} to create, ${result.updated} to update, ${result.unchanged} unchanged.`,
  returnResult: true,
  dryRun: true,
});

export const importIdentitiesAction = mutationAction(importIdentities, {
  success: (result) => `Imported: ${result.created} created, ${result.updated} updated, ${result.unchanged} unchanged.`,
  revalidate: "/inventory",
  returnResult: true,
});
