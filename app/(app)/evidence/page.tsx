import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { requireActor } from "@/lib/auth/session";

export const metadata = { title: "Evidence" };

export default async function Page() {
  await requireActor();
  return (
    <>
      <PageHeader title="Evidence" description="Signed evidence packages for auditors." />
      <EmptyState title="Not built yet">
        Auditors will pick a period and frameworks here and download one signed package (CSV, JSON, PDF, OSCAL) that verifies offline.
      </EmptyState>
    </>
  );
}
