import Link from "next/link";

const secondary = "rounded px-2.5 py-1 text-sm font-medium text-slate-800 ring-1 ring-slate-300 ring-inset hover:bg-slate-50";
const primary = "rounded bg-slate-900 px-2.5 py-1 text-sm font-medium text-white hover:bg-slate-700";

/** The inventory area's page-header links. "Register identity" only for people who may register. */
export function InventoryLinks({ register, systems = true }: { register: boolean; systems?: boolean }) {
  return (
    <>
      {systems ? (
        <Link href="/inventory/systems" className={secondary}>
          Systems
        </Link>
      ) : null}
      {register ? (
        <Link href="/inventory/import" className={secondary}>
          Import CSV
        </Link>
      ) : null}
      {register ? (
        <Link href="/inventory/new" className={primary}>
          Register identity
        </Link>
      ) : null}
    </>
  );
}
