"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";

/** The main navigation; the layout passes only the pages the person may open (lib/auth/navigation.ts). */
export function NavLinks({ items }: { items: { href: string; label: string }[] }) {
  const pathname = usePathname();
  return (
    <ul className="space-y-0.5">
      {items.map((item) => {
        const active = item.href === "/" ? pathname === "/" : pathname.startsWith(item.href);
        return (
          <li key={item.href}>
            <Link
              href={item.href}
              aria-current={active ? "page" : undefined}
              className={`block rounded px-2 py-1.5 text-sm ${active ? "bg-slate-800 font-medium text-white" : "text-slate-300 hover:bg-slate-800 hover:text-white"}`}
            >
              {item.label}
            </Link>
          </li>
        );
      })}
    </ul>
  );
}
