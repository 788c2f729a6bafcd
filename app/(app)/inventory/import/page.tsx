import { ImportForm } from "@/components/inventory/import-form";
import { PageHeader } from "@/components/ui/page-header";
import { requirePermission } from "@/lib/auth/session";
import { IMPORT_OPTIONAL_COLUMNS, IMPORT_REQUIRED_COLUMNS } from "@/lib/inventory/csv-import";
import { importIdentitiesAction, previewImportAction } from "./actions";

export const metadata = { title: "Import identities" };

export default async function ImportPage() {
  // Auditors read and do not import: for them this page is a 403.
  await requirePermission("inventory:write");
  return (
    <>
      <PageHeader
        title="Import identities"
        description="Preview first: every row is checked and nothing is saved. Import is all or nothing; importing the same file again creates no duplicates."
      />
      <p className="mb-3 text-xs text-slate-600">
        Required columns: <code>{IMPORT_REQUIRED_COLUMNS.join(", ")}</code>. Optional: <code>{IMPORT_OPTIONAL_COLUMNS.join(", ")}</code>.
        Rows match existing identities on <code>externalId</code>, or on <code>name</code> + <code>environment</code>. A file exported from
        the inventory can be edited and imported back.
      </p>
      <ImportForm preview={previewImportAction} commit={importIdentitiesAction} />
    </>
  );
}
