// The frame and header row every static table in Warrant shares (the
// inventory's interactive table is components/data-table). Cells keep their
// own markup.

export function TableFrame({
  label,
  className = "",
  empty,
  children,
}: {
  label?: string;
  className?: string;
  /** Shown under the header when the table has no rows. */
  empty?: React.ReactNode;
  children: React.ReactNode;
}) {
  return (
    <div className={`overflow-x-auto rounded-md border border-slate-200 bg-white ${className}`}>
      <table className="w-full text-left text-sm" aria-label={label}>
        {children}
      </table>
      {empty ? <p className="p-4 text-sm text-slate-600">{empty}</p> : null}
    </div>
  );
}

/** The header row; pass the <th scope="col"> cells. */
export function TableHead({ children }: { children: React.ReactNode }) {
  return (
    <thead className="border-b border-slate-200 bg-slate-50 text-xs text-slate-600">
      <tr>{children}</tr>
    </thead>
  );
}
