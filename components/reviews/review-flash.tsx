"use client";

import { createContext, use, useState } from "react";

// A review form disappears once it succeeds (an opened review replaces the
// "open" form; an attested one leaves the open list), taking its own success
// message with it. This wrapper sits around the whole Review section, stays
// mounted while the page refreshes, and shows the last message.

const FlashContext = createContext<(message: string) => void>(() => undefined);

export function ReviewFlash({ children }: { children: React.ReactNode }) {
  const [message, setMessage] = useState<string | null>(null);
  return (
    <FlashContext value={setMessage}>
      {message ? (
        <p role="status" className="rounded-md border border-emerald-200 bg-emerald-50 px-3 py-2 text-sm text-emerald-800">
          {message}
        </p>
      ) : null}
      {children}
    </FlashContext>
  );
}

/** Shows a message above the Review section that outlives the form that sent it. */
export function useReviewFlash(): (message: string) => void {
  return use(FlashContext);
}
