import type { Prisma } from "@/lib/db/generated/client";

// "What would change": the audit entries the change wrote when it was tried
// and rolled back, shown as field → value. They are the same entries the
// change writes when it is applied, so the approver sees what the log will say.

type Entry = { action?: string; data?: Record<string, unknown> };

/** "grant.created" → "Grant created". */
function actionLabel(action: string): string {
  const text = action.replace(/[._]/g, " ");
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function show(value: unknown): string {
  if (value === null || value === undefined) return "—";
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

/** Flattens { changed: { autonomy: "EXECUTE" } } into "changed.autonomy". */
function rows(data: Record<string, unknown>, prefix = ""): [string, string][] {
  return Object.entries(data).flatMap(([key, value]): [string, string][] =>
    value && typeof value === "object" && !Array.isArray(value)
      ? rows(value as Record<string, unknown>, `${prefix}${key}.`)
      : [[`${prefix}${key}`, show(value)]],
  );
}

export function ChangeList({ changes }: { changes: Prisma.JsonValue }) {
  const entries = (Array.isArray(changes) ? changes : []) as Entry[];
  if (entries.length === 0) return <p className="text-sm text-slate-600">The change writes nothing to the audit log.</p>;
  return (
    <ul className="space-y-2" aria-label="Changes">
      {entries.map((entry, index) => (
        <li key={index} className="rounded-md border border-slate-200 bg-white p-3 text-sm">
          <p className="font-medium">{actionLabel(entry.action ?? "change")}</p>
          <dl className="mt-1 grid grid-cols-[12rem_1fr] gap-x-3 gap-y-0.5 font-mono text-xs">
            {rows(entry.data ?? {}).map(([field, value]) => (
              <div key={field} className="contents">
                <dt className="text-slate-500">{field}</dt>
                <dd className="break-all">{value}</dd>
              </div>
            ))}
          </dl>
        </li>
      ))}
    </ul>
  );
}
