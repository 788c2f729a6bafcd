"use client";

import Link from "next/link";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";

/**
 * Any unexpected error while rendering a signed-in page: the shell and its
 * navigation stay, and the person can retry. The server logged the details;
 * the digest lets an operator find them there.
 */
export default function AppError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <>
      <PageHeader title="Something went wrong" />
      <EmptyState title="This page could not be shown">
        <p>
          Nothing was changed by showing it. Try again; if it keeps failing, tell your Warrant administrator
          {error.digest ? (
            <>
              {" "}
              and quote <code>{error.digest}</code>
            </>
          ) : null}
          .
        </p>
        <p className="mt-3 flex items-center justify-center gap-3">
          <Button type="button" onClick={reset}>
            Try again
          </Button>
          <Link href="/" className="text-sky-700 hover:underline">
            Back to the dashboard
          </Link>
        </p>
      </EmptyState>
    </>
  );
}
