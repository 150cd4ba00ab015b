import type { TopLevelSpec } from "vega-lite";
import type { SweepRow } from "../sweep/row.js";
import { renderSvg } from "./render.js";

/**
 * The sweep's plots, from its rows:
 *  - segments-vs-error.svg: segments against the bound (log), one line per method and
 *    function;
 *  - cost-vs-error.svg (when synthesized): LUTs and DSPs against the error reached, per
 *    target, with the Pareto front (no other point has both less error and fewer LUTs).
 */
export async function sweepPlots(
  rows: readonly SweepRow[],
  targets: readonly string[],
): Promise<[string, string][]> {
  const ok = rows.filter((row) => row.status === "ok" && row.maxErrorBound !== null);
  const plots: [string, string][] = [["segments-vs-error.svg", await renderSvg(segmentsVsError(ok))]];
  if (targets.length > 0) plots.push(["cost-vs-error.svg", await renderSvg(costVsError(ok, targets))]);
  return plots;
}

function segmentsVsError(rows: readonly SweepRow[]): TopLevelSpec {
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: "Segments against the error bound",
    width: 560,
    height: 360,
    data: {
      values: rows.map((row) => ({
        bound: row.maxErrorBound,
        segments: row.segments,
        method: row.method,
        function: row.function,
        series: `${row.function} ${row.method}${row.symmetry === "off" ? " (no symmetry)" : ""} ${row.in}->${row.out} p${row.pipeline}`,
      })),
    },
    mark: { type: "line", point: true },
    encoding: {
      x: { field: "bound", type: "quantitative", scale: { type: "log" }, title: "max error bound" },
      y: { field: "segments", type: "quantitative", scale: { type: "log" }, title: "segments" },
      color: { field: "method", type: "nominal", title: "method" },
      strokeDash: { field: "function", type: "nominal", title: "function" },
      shape: { field: "function", type: "nominal", title: "function" },
      detail: { field: "series", type: "nominal" },
    },
    config: { font: "sans-serif" },
  };
}

function costVsError(rows: readonly SweepRow[], targets: readonly string[]): TopLevelSpec {
  const panels = targets.flatMap((target) =>
    (["lut", "dsp"] as const).map((metric) => {
      const points = rows
        .filter((row) => row.synth[target])
        .map((row) => ({
          error: row.errorsMax,
          cost: row.synth[target]![metric],
          method: row.method,
          function: row.function,
        }));
      return {
        title: `${target}: ${metric === "lut" ? "LUTs" : "DSPs"} against the error reached${metric === "lut" ? " (lines: Pareto front per function)" : ""}`,
        width: 520,
        height: 260,
        layer: [
          {
            data: { values: points },
            mark: { type: "point" as const, filled: true },
            encoding: {
              x: {
                field: "error",
                type: "quantitative" as const,
                scale: { type: "log" as const },
                title: "max error",
              },
              y: { field: "cost", type: "quantitative" as const, title: metric === "lut" ? "LUTs" : "DSPs" },
              color: { field: "method", type: "nominal" as const, title: "method" },
              shape: { field: "function", type: "nominal" as const, title: "function" },
            },
          },
          ...(metric === "lut"
            ? [
                {
                  data: {
                    values: [...new Set(points.map((p) => p.function))].flatMap((fn) =>
                      paretoFront(points.filter((p) => p.function === fn)),
                    ),
                  },
                  mark: {
                    type: "line" as const,
                    interpolate: "step-after" as const,
                    color: "black",
                    strokeDash: [4, 2],
                  },
                  encoding: {
                    x: { field: "error", type: "quantitative" as const },
                    y: { field: "cost", type: "quantitative" as const },
                    detail: { field: "function", type: "nominal" as const },
                  },
                },
              ]
            : []),
        ],
      };
    }),
  );
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: "FPGA cost against error (Yosys estimates)",
    vconcat: panels,
    config: { font: "sans-serif" },
  };
}

/** The points no other point beats on both error and cost, by increasing error. */
export function paretoFront<T extends { error: number | null; cost: number }>(points: readonly T[]): T[] {
  const sorted = [...points]
    .filter((p): p is T & { error: number } => p.error !== null)
    .sort((a, b) => a.error - b.error || a.cost - b.cost);
  const front: T[] = [];
  let best = Infinity;
  for (const point of sorted) {
    if (point.cost < best) {
      front.push(point);
      best = point.cost;
    }
  }
  return front;
}
