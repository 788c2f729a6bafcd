import type { Outcome } from "./engine";

// Words for the runtime decisions, shared by the browser's tables and badges
// (kept apart from lib/policy/decisions.ts so client components import no queries).

export const OUTCOME_LABELS: Record<Outcome, string> = { allow: "Allow", deny: "Deny", require_approval: "Require approval" };

export const ACTION_LABELS: Record<string, string> = {
  read: "Read",
  write: "Write",
  deploy: "Deploy",
  admin: "Admin",
  call_tool: "Tool call",
};

/** "412 µs" or "3.2 ms". */
export function formatLatency(micros: number): string {
  return micros < 1000 ? `${micros} µs` : `${(micros / 1000).toFixed(micros < 10_000 ? 1 : 0)} ms`;
}
