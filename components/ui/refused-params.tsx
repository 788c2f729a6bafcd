import type { FieldErrors } from "@/lib/errors";

/** Parameters in the address that did not parse: named, and ignored by the page. */
export function RefusedParams({ refused }: { refused: FieldErrors }) {
  if (Object.keys(refused).length === 0) return null;
  return (
    <div role="alert" className="mb-3 rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">
      <p className="font-medium">Some parameters in the address are not valid and were ignored.</p>
      <ul className="mt-1 list-inside list-disc">
        {Object.entries(refused).map(([field, message]) => (
          <li key={field}>
            <code>{field}</code>: {message}
          </li>
        ))}
      </ul>
    </div>
  );
}
