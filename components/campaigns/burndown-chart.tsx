"use client";

import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { BurndownPoint } from "@/lib/campaigns/queries";

/** Reviews still open day by day, against a straight line to none on the due date. */
export function BurndownChart({ points, title }: { points: BurndownPoint[]; title: string }) {
  const latest = points.filter((point) => point.open !== null).at(-1);
  return (
    <div
      role="img"
      aria-label={`${title}: ${latest ? `${latest.open} open on ${latest.day}` : "no data"}, from ${points[0]?.day} to ${points.at(-1)?.day}`}
      className="h-56 w-full"
    >
      <ResponsiveContainer width="100%" height="100%">
        <LineChart data={points} margin={{ top: 8, right: 12, bottom: 0, left: -16 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
          <XAxis dataKey="day" tick={{ fontSize: 11, fill: "#475569" }} minTickGap={24} />
          <YAxis allowDecimals={false} tick={{ fontSize: 11, fill: "#475569" }} />
          <Tooltip />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          <Line dataKey="open" name="Still open" stroke="#0369a1" strokeWidth={2} dot={{ r: 2 }} isAnimationActive={false} />
          <Line
            dataKey="ideal"
            name="On pace"
            stroke="#94a3b8"
            strokeDasharray="4 4"
            strokeWidth={1.5}
            dot={false}
            isAnimationActive={false}
            connectNulls
          />
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}
