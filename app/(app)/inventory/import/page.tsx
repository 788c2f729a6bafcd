import { ImportForm } from "@/components/inventory/import-form";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { can } from "@/lib/auth/actor";
import { requireActor } from "@/lib/auth/session";
import { IMPORT_OPTIONAL_COLUMNS, IMPORT_REQUIRED_COLUMNS } from "@/lib/inventory/csv-import";
import { importIdentitiesAction, previewImportAction } from "./actions";

export const metadata = { title: "Import identities" };

export default async function ImportPage() {
  const actor = await requireActor();
  return (
    <>
      <PageHeader
        title="Import identities"
        description="Preview first: every row is checked and nothing is saved. Import is all or nothing; importing the same file again creates no duplicates."
      />
      {can(actor, "inventory:write") ? (
        <>
          <p className="mb-3 text-xs text-slate-600">
            Required columns: <code>{IMPORT_REQUIRED_COLUMNS.join(", ")}</code>. Optional: <code>{IMPORT_OPTIONAL_COLUMNS.join(", ")}</code>.
            Rows match existing identities on <code>externalId</code>, or on <code>name</code> + <code>environment</code>. A file exported from the
            inventory can be edited and imported back.
          </p>
          <ImportForm preview={previewImportAction} commit={importIdentitiesAction} />
        </>
      ) : (
        <EmptyState title="Read-only">Auditors can read the inventory but not import into it.</EmptyState>
      )}
    </>
  );
}
