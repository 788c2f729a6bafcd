"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";

/**
 * The main navigation; the layout passes only the pages the person may open
 * (lib/auth/navigation.ts). A count (open findings for Discovered) is shown
 * beside the label and read as the link's description, so the link's name
 * stays its label.
 */
export function NavLinks({ items, counts = {} }: { items: { href: string; label: string }[]; counts?: Record<string, number> }) {
  const pathname = usePathname();
  return (
    <ul className="space-y-0.5">
      {items.map((item) => {
        const active = item.href === "/" ? pathname === "/" : pathname.startsWith(item.href);
        const count = counts[item.href] ?? 0;
        const countId = `nav-count-${item.href.slice(1)}`;
        return (
          <li key={item.href}>
            <Link
              href={item.href}
              aria-current={active ? "page" : undefined}
              aria-describedby={count > 0 ? countId : undefined}
              className={`flex items-center justify-between rounded px-2 py-1.5 text-sm ${active ? "bg-slate-800 font-medium text-white" : "text-slate-300 hover:bg-slate-800 hover:text-white"}`}
            >
              {item.label}
              {count > 0 ? (
                <span aria-hidden="true" data-testid={countId} className="rounded bg-slate-700 px-1.5 text-xs text-white">
                  {count}
                </span>
              ) : null}
            </Link>
            {count > 0 ? (
              <span id={countId} className="sr-only">
                {count} open
              </span>
            ) : null}
          </li>
        );
      })}
    </ul>
  );
}
