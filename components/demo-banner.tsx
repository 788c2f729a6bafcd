import { isDemoMode } from "@/lib/env";

/** Shown on every page while demo sign-in is enabled, so nobody mistakes a demo for production. */
export function DemoBanner() {
  if (!isDemoMode()) return null;
  return (
    <div
      role="note"
      aria-label="Demo mode"
      data-testid="demo-banner"
      className="bg-amber-400 px-4 py-1 text-center text-xs font-semibold text-amber-950"
    >
      Demo mode: anyone can sign in as any listed user. Do not use this installation for real data.
    </div>
  );
}
