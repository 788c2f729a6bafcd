"use client";

import { useRouter } from "next/navigation";
import { Bar, BarChart, CartesianGrid, Cell, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

export interface LinkedBar {
  label: string;
  count: number;
  href: string;
  color: string;
}

/**
 * A bar chart whose bars open the inventory rows they count. The same numbers
 * are listed as links beside each chart for keyboard and screen-reader users.
 */
export function LinkedBarChart({ bars, title }: { bars: LinkedBar[]; title: string }) {
  const router = useRouter();
  return (
    <div role="img" aria-label={`${title}: ${bars.map((bar) => `${bar.label} ${bar.count}`).join(", ")}`} className="h-44 w-full">
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={bars} margin={{ top: 8, right: 8, bottom: 0, left: -16 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} stroke="#e2e8f0" />
          <XAxis dataKey="label" tick={{ fontSize: 11, fill: "#475569" }} interval={0} />
          <YAxis allowDecimals={false} tick={{ fontSize: 11, fill: "#475569" }} />
          <Tooltip cursor={{ fill: "#f1f5f9" }} />
          <Bar
            dataKey="count"
            name="Identities"
            isAnimationActive={false}
            cursor="pointer"
            onClick={(entry) => router.push((entry.payload as LinkedBar).href)}
          >
            {bars.map((bar) => (
              <Cell key={bar.label} fill={bar.color} />
            ))}
          </Bar>
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
