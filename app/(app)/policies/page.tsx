import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { requireActor } from "@/lib/auth/session";

export const metadata = { title: "Policies" };

export default async function Page() {
  await requireActor();
  return (
    <>
      <PageHeader title="Policies" description="Policy-as-code (Cedar) that decides what each identity may do at run time." />
      <EmptyState title="Not built yet">
        Versioned Cedar policies will be edited, tested against recorded decisions, and enabled here.
      </EmptyState>
    </>
  );
}
