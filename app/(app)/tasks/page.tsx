import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { requireActor } from "@/lib/auth/session";

export const metadata = { title: "My tasks" };

export default async function Page() {
  await requireActor();
  return (
    <>
      <PageHeader title="My tasks" description="Reviews you owe and approvals waiting for you." />
      <EmptyState title="Not built yet">Owners will attest here on review dates (keep, reduce or retire), and approvers will find the requests routed to them.</EmptyState>
    </>
  );
}
