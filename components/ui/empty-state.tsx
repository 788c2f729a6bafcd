export function EmptyState({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <div className="rounded-md border border-dashed border-slate-300 bg-white p-8 text-center">
      <h2 className="text-sm font-semibold text-slate-800">{title}</h2>
      <div className="mx-auto mt-1 max-w-xl text-sm text-slate-600">{children}</div>
    </div>
  );
}
