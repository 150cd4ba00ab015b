import type { TopLevelSpec } from "vega-lite";
import type { SweepRow } from "../sweep/row.js";
import { TARGETS } from "../synth/targets.js";
import { renderSvg } from "./render.js";

/**
 * The sweep's plots, from its rows, one panel per function so the methods compare at a
 * glance:
 *  - segments-vs-error.svg: segments against the bound (log axes), a line per method (auto
 *    and optimal per target they chose for), the marks' shape the architecture's segment
 *    select (comparator tree, uniform or grid index);
 *  - cost-vs-error.svg (when synthesized): per target, LUTs and (on targets with DSP blocks)
 *    DSPs against the error reached, a line per method, shapes as above, and on the LUT row
 *    the Pareto front (dashed: the points no other point of that function beats on both
 *    error and LUTs).
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

const SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json";
const PANEL = { width: 240, height: 200 } as const;
const byFunction = { column: { field: "function", type: "nominal", title: null } } as const;

/** A method as the legend shows it: auto and optimal with the target they chose for. */
function methodLabel(row: SweepRow): string {
  return row.target ? `${row.method} (${row.target})` : row.method;
}

/** The architecture family a point's marks take their shape from: tree, uniform or grid. */
function family(row: SweepRow): string {
  const architecture = row.architecture ?? "";
  return architecture.startsWith("comparator tree")
    ? "tree"
    : architecture.startsWith("grid")
      ? "grid"
      : "uniform";
}

/** A line per method and sweep setting (symmetry, formats, pipeline) within a panel. */
function series(row: SweepRow): string {
  return `${methodLabel(row)}${row.symmetry === "off" ? " (no symmetry)" : ""} ${row.in}->${row.out} p${row.pipeline}`;
}

const logAxis = (field: string, title: string) =>
  ({ field, type: "quantitative", scale: { type: "log" }, title }) as const;

function segmentsVsError(rows: readonly SweepRow[]): TopLevelSpec {
  return {
    $schema: SCHEMA,
    title: "Segments against the error bound, per function",
    data: {
      values: rows.map((row) => ({
        bound: row.maxErrorBound,
        segments: row.segments,
        method: methodLabel(row),
        architecture: family(row),
        function: row.function,
        series: series(row),
      })),
    },
    facet: byFunction,
    spec: {
      ...PANEL,
      mark: { type: "line", point: true },
      encoding: {
        x: logAxis("bound", "max error bound"),
        y: logAxis("segments", "segments"),
        color: { field: "method", type: "nominal", title: "method" },
        shape: { field: "architecture", type: "nominal", title: "segment select" },
        detail: { field: "series", type: "nominal" },
      },
    },
    config: { font: "sans-serif" },
  };
}

function costVsError(rows: readonly SweepRow[], targets: readonly string[]): TopLevelSpec {
  const rowsFor = (target: string, metric: "lut" | "dsp") => {
    const points = rows
      .filter((row) => row.synth[target])
      .map((row) => ({
        error: row.errorsMax,
        cost: row.synth[target]![metric],
        method: methodLabel(row),
        architecture: family(row),
        function: row.function,
        series: series(row),
        kind: "point",
      }));
    if (metric === "dsp") return points;
    const fronts = [...new Set(points.map((p) => p.function))].flatMap((fn) =>
      paretoFront(points.filter((p) => p.function === fn)).map((p) => ({ ...p, kind: "front" })),
    );
    return [...points, ...fronts];
  };
  const only = (kind: string) => [{ filter: `datum.kind === '${kind}'` }];
  const x = {
    field: "error",
    type: "quantitative",
    scale: { type: "log" },
    title: "max error reached",
  } as const;
  return {
    $schema: SCHEMA,
    title: "FPGA cost against the error reached (Yosys estimates), per function",
    vconcat: targets.flatMap((target) =>
      (hasDsp(target) ? (["lut", "dsp"] as const) : (["lut"] as const)).map((metric) => ({
        title: `${target}: ${metric === "lut" ? "LUTs (dashed: Pareto front)" : "DSPs"}`,
        data: { values: rowsFor(target, metric) },
        facet: byFunction,
        spec: {
          ...PANEL,
          height: metric === "lut" ? PANEL.height : 80,
          layer: [
            {
              transform: only("point"),
              mark: { type: "line" as const, point: true },
              encoding: {
                x,
                y: {
                  field: "cost",
                  type: "quantitative" as const,
                  title: metric === "lut" ? "LUTs" : "DSPs",
                },
                color: { field: "method", type: "nominal" as const, title: "method" },
                shape: { field: "architecture", type: "nominal" as const, title: "segment select" },
                detail: { field: "series", type: "nominal" as const },
              },
            },
            ...(metric === "lut"
              ? [
                  {
                    transform: only("front"),
                    mark: {
                      type: "line" as const,
                      interpolate: "step-after" as const,
                      color: "black",
                      strokeDash: [4, 2],
                    },
                    encoding: { x, y: { field: "cost", type: "quantitative" as const } },
                  },
                ]
              : []),
          ],
        },
      })),
    ),
    config: { font: "sans-serif" },
  };
}

/** Whether a target has DSP blocks (targets the table does not know are drawn with them). */
function hasDsp(target: string): boolean {
  return target in TARGETS ? TARGETS[target as keyof typeof TARGETS].dsp : true;
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
