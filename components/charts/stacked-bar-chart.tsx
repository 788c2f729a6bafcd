"use client";

import { useRouter } from "next/navigation";
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

export interface StackedSeries {
  key: string;
  label: string;
  color: string;
}

export type StackedRow = { label: string } & Record<string, number | string>;

/** Stacked bars (e.g. identities by kind, stacked by environment); a segment opens the rows it counts. */
export function StackedBarChart({
  rows,
  series,
  hrefFor,
  title,
}: {
  rows: StackedRow[];
  series: StackedSeries[];
  hrefFor: Record<string, Record<string, string>>;
  title: string;
}) {
  const router = useRouter();
  return (
    <div role="img" aria-label={title} className="h-56 w-full">
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={rows} margin={{ top: 8, right: 8, bottom: 0, left: -16 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} stroke="#e2e8f0" />
          <XAxis dataKey="label" tick={{ fontSize: 11, fill: "#475569" }} interval={0} />
          <YAxis allowDecimals={false} tick={{ fontSize: 11, fill: "#475569" }} />
          <Tooltip cursor={{ fill: "#f1f5f9" }} />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          {series.map((serie) => (
            <Bar
              key={serie.key}
              dataKey={serie.key}
              name={serie.label}
              stackId="stack"
              fill={serie.color}
              isAnimationActive={false}
              cursor="pointer"
              onClick={(entry) => {
                const href = hrefFor[(entry.payload as StackedRow).label]?.[serie.key];
                if (href) router.push(href);
              }}
            />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
