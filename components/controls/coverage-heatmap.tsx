"use client";

import { useRouter } from "next/navigation";
import { ResponsiveContainer, Scatter, ScatterChart, Tooltip, XAxis, YAxis } from "recharts";
import type { CoverageStatus } from "@/lib/controls/queries";

export interface HeatCell {
  /** Column within its row, and the row (a function, or the framework itself when it has one level). */
  x: number;
  y: number;
  code: string;
  title: string;
  status: CoverageStatus;
  passing: number;
  failing: number;
}

const FILL: Record<CoverageStatus, string> = { PASS: "#10b981", FAIL: "#ef4444", NOT_APPLICABLE: "#cbd5e1", GAP: "#fbbf24" };
const CELL = 34;

/**
 * A framework's requirements as a grid, one row per top-level item and one cell per item under it,
 * coloured by status. Each cell opens the requirement in the list below, which carries the same
 * statuses as text for keyboard and screen-reader users.
 */
export function CoverageHeatmap({ cells, rows, title }: { cells: HeatCell[]; rows: string[]; title: string }) {
  const router = useRouter();
  const columns = Math.max(1, ...cells.map((cell) => cell.x + 1));
  const height = rows.length * (CELL + 6) + 24;
  return (
    <div
      role="img"
      aria-label={`${title}: ${cells.filter((cell) => cell.status === "FAIL").length} failing, ${cells.filter((cell) => cell.status === "PASS").length} passing, ${cells.filter((cell) => cell.status === "GAP").length} without a control`}
      style={{ height, maxWidth: columns * (CELL + 6) + 96 }}
      className="w-full"
    >
      <ResponsiveContainer width="100%" height="100%">
        <ScatterChart margin={{ top: 4, right: 8, bottom: 4, left: 8 }}>
          <XAxis type="number" dataKey="x" domain={[-0.5, columns - 0.5]} hide />
          <YAxis
            type="number"
            dataKey="y"
            domain={[-0.5, rows.length - 0.5]}
            reversed
            ticks={rows.map((_, index) => index)}
            tickFormatter={(value: number) => rows[value] ?? ""}
            tick={{ fontSize: 11, fill: "#334155" }}
            width={72}
            interval={0}
          />
          <Tooltip
            cursor={false}
            content={({ payload }) => {
              const cell = payload?.[0]?.payload as HeatCell | undefined;
              if (!cell) return null;
              return (
                <div className="max-w-xs rounded border border-slate-200 bg-white p-2 text-xs shadow">
                  <div className="font-medium">
                    {cell.code} {cell.title}
                  </div>
                  <div>
                    {cell.status === "GAP" ? "No control covers it" : `${cell.passing} control results passing, ${cell.failing} failing`}
                  </div>
                </div>
              );
            }}
          />
          <Scatter
            data={cells}
            isAnimationActive={false}
            cursor="pointer"
            onClick={(entry) => router.push(`#req-${encodeURIComponent((entry as unknown as { payload: HeatCell }).payload.code)}`)}
            shape={(props: { cx?: number; cy?: number; payload?: HeatCell }) => (
              <rect
                x={(props.cx ?? 0) - CELL / 2}
                y={(props.cy ?? 0) - CELL / 2}
                width={CELL}
                height={CELL}
                rx={3}
                fill={FILL[props.payload?.status ?? "GAP"]}
                stroke="#fff"
              />
            )}
          />
        </ScatterChart>
      </ResponsiveContainer>
    </div>
  );
}
