import Link from "next/link";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";

/** What forbidden() renders inside the app's shell, with status 403 (requirePermission and pages that check more). */
export default function Forbidden() {
  return (
    <>
      <PageHeader title="Not allowed" />
      <EmptyState title="You may not open this page">
        Your roles do not include this page, so nothing here is shown to you. If your work needs it, ask an admin for the role.{" "}
        <Link href="/" className="text-sky-700 hover:underline">
          Back to the dashboard
        </Link>
      </EmptyState>
    </>
  );
}
