import Link from "next/link";
import { EmptyState } from "@/components/ui/empty-state";

export default function IdentityNotFound() {
  return (
    <EmptyState title="No such identity">
      There is no AI identity at this address. It may have been mistyped; identities are never deleted, so one that existed is still listed.{" "}
      <Link href="/inventory" className="text-sky-700 hover:underline">
        Back to the inventory
      </Link>
    </EmptyState>
  );
}
