// The detector's facts about a finding (env var names, secret names,
// permissions, hooks…), as a small definition list. Values are JSON from the
// scanner, so anything that is not text or a list of text is shown as JSON.

function humanize(key: string): string {
  const words = key.replace(/([a-z])([A-Z])/g, "$1 $2").replace(/[-_]/g, " ");
  return words.charAt(0).toUpperCase() + words.slice(1).toLowerCase();
}

function show(value: unknown): string {
  if (typeof value === "string") return value;
  if (Array.isArray(value) && value.every((item) => typeof item === "string")) return value.join(", ");
  if (value && typeof value === "object" && !Array.isArray(value)) {
    return Object.entries(value)
      .map(([key, item]) => `${key}: ${typeof item === "string" ? item : JSON.stringify(item)}`)
      .join(", ");
  }
  return JSON.stringify(value);
}

export function FindingDetails({ details }: { details: Record<string, unknown> }) {
  const entries = Object.entries(details ?? {});
  if (entries.length === 0) return null;
  return (
    <>
      <h3 className="mt-3 mb-1 text-xs font-medium text-slate-600">Details</h3>
      <dl className="grid grid-cols-[9rem_1fr] gap-x-3 gap-y-1 text-xs" aria-label="Details">
        {entries.map(([key, value]) => (
          <div key={key} className="contents">
            <dt className="text-slate-500">{humanize(key)}</dt>
            <dd className="font-mono break-all">{show(value)}</dd>
          </div>
        ))}
      </dl>
    </>
  );
}
