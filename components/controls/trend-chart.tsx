"use client";

import { Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis, CartesianGrid } from "recharts";

export interface TrendPoint {
  /** ISO time of the run. */
  at: string;
  /** Passing share in percent; null when the control did not apply. */
  percent: number | null;
  status: string;
}

const day = (iso: string) => iso.slice(0, 10);

/** A control's pass rate over its recent runs, small enough for a table cell. */
export function Sparkline({ points, label }: { points: TrendPoint[]; label: string }) {
  if (points.length === 0) return <span className="text-xs text-slate-500">No runs yet</span>;
  const last = points.at(-1)!;
  return (
    <div
      role="img"
      aria-label={`${label}: ${points.length} runs, latest ${last.percent === null ? "not applicable" : `${last.percent}% passing`}`}
      className="h-6 w-28"
    >
      <ResponsiveContainer width="100%" height="100%">
        <LineChart data={points} margin={{ top: 2, right: 2, bottom: 2, left: 2 }}>
          <YAxis domain={[0, 100]} hide />
          <Line dataKey="percent" stroke="#0369a1" strokeWidth={1.5} dot={false} isAnimationActive={false} connectNulls />
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}

/** A control's (or a framework's) pass rate run by run, with the status in the tooltip. */
export function TrendChart({ points, title }: { points: TrendPoint[]; title: string }) {
  return (
    <div
      role="img"
      aria-label={`${title}: ${points.map((point) => `${day(point.at)} ${point.percent ?? "n/a"}%`).join(", ")}`}
      className="h-48 w-full"
    >
      <ResponsiveContainer width="100%" height="100%">
        <LineChart data={points} margin={{ top: 8, right: 12, bottom: 0, left: -16 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
          <XAxis dataKey="at" tickFormatter={day} tick={{ fontSize: 11, fill: "#475569" }} minTickGap={24} />
          <YAxis domain={[0, 100]} unit="%" tick={{ fontSize: 11, fill: "#475569" }} />
          <Tooltip labelFormatter={(value) => new Date(String(value)).toLocaleString()} formatter={(value) => [`${value}%`, "Passing"]} />
          <Line dataKey="percent" name="Passing" stroke="#0369a1" strokeWidth={2} dot={{ r: 2 }} isAnimationActive={false} connectNulls />
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}
