import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { requireActor } from "@/lib/auth/session";

export const metadata = { title: "Inventory" };

export default async function Page() {
  await requireActor();
  return (
    <>
      <PageHeader title="Inventory" description="Every AI identity with its owner, purpose, reach, credentials and risk." />
      <EmptyState title="Not built yet">The inventory table comes next: filter by status, kind, environment, owner, team and risk; search; sort; saved views; CSV import and export; bulk actions.</EmptyState>
    </>
  );
}
