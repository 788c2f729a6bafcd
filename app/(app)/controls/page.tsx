import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { requireActor } from "@/lib/auth/session";

export const metadata = { title: "Controls" };

export default async function Page() {
  await requireActor();
  return (
    <>
      <PageHeader title="Controls" description="Warrant's controls, their automated tests, and the frameworks they map to." />
      <EmptyState title="Not built yet">
        Controls such as “every active identity has an owner” will run over live data here, mapped to NIST CSF 2.0, NIST AI RMF,
        OWASP&apos;s agentic and NHI top tens and CSA MAESTRO.
      </EmptyState>
    </>
  );
}
