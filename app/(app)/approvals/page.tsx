import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { requireActor } from "@/lib/auth/session";

export const metadata = { title: "Approvals" };

export default async function Page() {
  await requireActor();
  return (
    <>
      <PageHeader title="Approvals" description="Sensitive actions waiting for a human decision." />
      <EmptyState title="Not built yet">
        Approval requests will be listed here: grants of write, deploy or admin, access to restricted or production systems, long-lived
        credentials, expiry extensions and autonomy increases, with N-of-M approval and separation of duties.
      </EmptyState>
    </>
  );
}
