"use client";

import Link from "next/link";
import "./globals.css";

/**
 * The last boundary: an error in the root layout itself. It replaces the whole
 * document, so it renders its own <html> and <body> and keeps to plain markup.
 */
export default function GlobalError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <html lang="en">
      <body className="min-h-screen">
        <main className="mx-auto max-w-xl px-6 py-16">
          <h1 className="text-lg font-semibold text-slate-900">Warrant could not show this page</h1>
          <p className="mt-2 text-sm text-slate-600">
            Nothing was changed by showing it. Try again; if it keeps failing, tell your Warrant administrator
            {error.digest ? (
              <>
                {" "}
                and quote <code>{error.digest}</code>
              </>
            ) : null}
            .
          </p>
          <p className="mt-4 flex gap-3 text-sm">
            <button type="button" onClick={reset} className="rounded bg-slate-900 px-2.5 py-1 font-medium text-white hover:bg-slate-700">
              Try again
            </button>
            <Link href="/" className="text-sky-700 hover:underline">
              Back to the dashboard
            </Link>
          </p>
        </main>
      </body>
    </html>
  );
}
