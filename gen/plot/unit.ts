import type { TopLevelSpec } from "vega-lite";
import { formatName, maxCode, minCode, toReal, ulp } from "../fixed/format.js";
import type { PwlChannel } from "../design/ir.js";
import type { ChannelReport, Generation } from "../generate.js";
import { evaluate, evaluateDerivative } from "../model/golden.js";
import { renderSvg } from "./render.js";

/**
 * plot.svg of a unit: per output port, the function and the hardware's output with the
 * breakpoints, and the signed error at every input code against the bound (an envelope of
 * the per-code errors, so that 2^20 codes still make a small file).
 */
const SAMPLES = 800;

export async function unitPlot(generation: Generation): Promise<string> {
  const { design } = generation;
  const panels = [
    ...portPanels(
      "y",
      generation.function.name,
      design.y,
      generation.y,
      (x) => evaluate(design, x),
      generation,
    ),
  ];
  if (design.dy && generation.dy) {
    panels.push(
      ...portPanels(
        "dy",
        `${generation.function.name}'`,
        design.dy.kind === "pwl" ? design.dy : undefined,
        generation.dy,
        (x) => evaluateDerivative(design, x),
        generation,
        design.dy.output,
      ),
    );
  }
  const spec: TopLevelSpec = {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: `${design.module}: ${design.function}, input ${formatName(design.input)}`,
    vconcat: panels,
    resolve: { scale: { color: "independent" }, legend: { color: "independent" } },
    config: { font: "sans-serif" },
  };
  return renderSvg(spec);
}

type Panel = TopLevelSpec extends infer T ? (T extends { vconcat: (infer P)[] } ? P : never) : never;

function portPanels(
  port: string,
  name: string,
  channel: PwlChannel | undefined,
  report: ChannelReport,
  hardware: (x: number) => number,
  generation: Generation,
  output = generation.design.y.output,
): Panel[] {
  const input = generation.design.input;
  const first = minCode(input);
  const last = maxCode(input);
  const count = last - first + 1;
  const step = Math.max(1, Math.floor(count / SAMPLES));
  const outUlp = ulp(output);
  const values: { x: number; value: number; series: string }[] = [];
  const envelope: { x: number; low: number; high: number }[] = [];
  for (let start = 0; start < count; start += step) {
    const x = first + start;
    values.push({ x: toReal(x, input), value: report.reference[start]!, series: name });
    values.push({ x: toReal(x, input), value: hardware(x) * outUlp, series: `${port} (hardware)` });
    let low = Infinity;
    let high = -Infinity;
    for (let i = start; i < Math.min(count, start + step); i++) {
      const error = hardware(first + i) * outUlp - report.reference[i]!;
      low = Math.min(low, error);
      high = Math.max(high, error);
    }
    envelope.push({ x: toReal(x, input), low, high });
  }
  const breaks = channel
    ? [...new Set(channel.breakpoints.flatMap((b) => (channel.fold.kind === "none" ? [b] : [b, -b])))]
        .filter((b) => b > first && b <= last)
        .sort((a, b) => a - b)
        .map((b) => ({ x: toReal(b, input) }))
    : [];
  const bound = channel?.bound;
  const width = 640;
  return [
    {
      width,
      height: 220,
      title: `${port} = ${name}(x) and the unit's output${breaks.length > 0 ? ` (${channel!.breakpoints.length} segments; rules: breakpoints)` : ""}`,
      layer: [
        ...(breaks.length > 0
          ? [
              {
                data: { values: breaks },
                mark: { type: "rule" as const, color: "#bbb", strokeWidth: 0.5 },
                encoding: { x: { field: "x", type: "quantitative" as const } },
              },
            ]
          : []),
        {
          data: { values },
          mark: { type: "line" as const, strokeWidth: 1 },
          encoding: {
            x: { field: "x", type: "quantitative" as const, title: "x" },
            y: { field: "value", type: "quantitative" as const, title: port },
            color: { field: "series", type: "nominal" as const, title: null },
          },
        },
      ],
    },
    {
      width,
      height: 160,
      title: `${port} error per input code${bound !== undefined ? " (rules: the bound)" : " (no bound: the slope as derivative)"}`,
      layer: [
        {
          data: { values: envelope },
          mark: { type: "area" as const, opacity: 0.6 },
          encoding: {
            x: { field: "x", type: "quantitative" as const, title: "x" },
            y: { field: "low", type: "quantitative" as const, title: "error" },
            y2: { field: "high" },
          },
        },
        ...(bound !== undefined
          ? [
              {
                data: { values: [{ level: bound }, { level: -bound }] },
                mark: { type: "rule" as const, color: "firebrick", strokeDash: [4, 3] },
                encoding: { y: { field: "level", type: "quantitative" as const } },
              },
            ]
          : []),
      ],
    },
  ];
}
