import type { TopLevelSpec } from "vega-lite";
import { TOOL_NAME, TOOL_VERSION } from "../paths.js";
import { counted } from "../text.js";
import { renderSvg } from "../plot/render.js";
import type { TrainOptions, TrainResult, VariantUnit } from "./train.js";

/**
 * train.json (the interface other tools read: dataset, function, seeds, variants with
 * name, accuracy {mean, std}, loss, backwardTimeRatio), a Markdown table, and the
 * learning curves. train.json's tool field (command "train") marks a directory that
 * pwlgen train may write into again.
 */
export const TRAIN_TOOL = { name: TOOL_NAME, version: TOOL_VERSION, command: "train" } as const;

export function trainJson(result: TrainResult, options: TrainOptions): object {
  return {
    tool: TRAIN_TOOL,
    dataset: result.dataset,
    function: result.function,
    seeds: result.seeds,
    unit: result.unit,
    units: result.units,
    samples: result.samples,
    model: {
      hidden: options.layers.split(",").map(Number),
      optimizer: options.optimizer,
      learningRate: options.lr,
      epochs: options.epochs,
      batch: options.batch,
    },
    variants: result.variants.map((v) => ({
      name: v.name,
      accuracy: v.accuracy,
      loss: v.loss,
      backwardTimeRatio: v.backwardTimeRatio,
      accuracies: v.accuracies,
    })),
  };
}

export function trainMarkdown(result: TrainResult): string {
  const exact = result.variants[0]!;
  const lines = [
    `# Training with ${result.function} on ${result.dataset}`,
    "",
    `MLP on ${result.samples.train} training and ${result.samples.test} test samples (${result.samples.features} features), seeds ${result.seeds.join(", ")}. ` +
      unitsSentence(result),
    "",
    "| variant | test accuracy (mean +- std) | within 2 std of exact | final loss | backward f' time vs exact |",
    "|---|---:|---|---:|---:|",
    ...result.variants.map((v) => {
      const within =
        v.name === "exact"
          ? ""
          : Math.abs(v.accuracy.mean - exact.accuracy.mean) <= 2 * exact.accuracy.std + 1e-12
            ? "yes"
            : "no";
      return `| ${v.name} | ${(100 * v.accuracy.mean).toFixed(2)}% +- ${(100 * v.accuracy.std).toFixed(2)}% | ${within} | ${v.loss.toFixed(4)} | ${v.backwardTimeRatio.toFixed(2)} |`;
    }),
    "",
    "exact: double-precision f and f'. pwl-slope: the unit's f, and its active segment's slope as f'. pwl-pwl: the unit's f, and a separate PWL unit of f'.",
    "The time ratio is the time spent computing f' during back-propagation in one run, relative to exact (wall clock on this machine).",
    ...(result.notes.length > 0 ? ["", ...result.notes] : []),
    "",
  ];
  return lines.join("\n");
}

/** Which unit each PWL variant ran: one sentence when they share it, else one clause each. */
function unitsSentence(result: TrainResult): string {
  const describe = (unit: VariantUnit): string =>
    `${unit.module}: ${counted(unit.segments, "segment")}, |error| <= ${unit.maxErrorBound.toPrecision(4)}` +
    (unit.derivative.segments !== undefined ? `, f' in ${counted(unit.derivative.segments, "segment")}` : "");
  const [first] = result.units;
  if (!first) return "No PWL variant was trained.";
  if (result.units.every((unit) => unit.specHash === first.specHash)) {
    return `PWL unit ${describe(first)}; the PWL variants run its golden model.`;
  }
  return `${result.units.map((unit) => `${unit.variant} runs the golden model of unit ${describe(unit)}`).join("; ")}.`;
}

export async function trainPlot(result: TrainResult): Promise<string> {
  const values = result.variants.flatMap((v) =>
    v.curve.map((accuracy, epoch) => ({ epoch: epoch + 1, accuracy, variant: v.name })),
  );
  const spec: TopLevelSpec = {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: `Test accuracy while training (${result.function}, ${result.dataset}, mean of ${result.seeds.length} seeds)`,
    width: 560,
    height: 300,
    data: { values },
    mark: { type: "line" },
    encoding: {
      x: { field: "epoch", type: "quantitative", title: "epoch" },
      y: { field: "accuracy", type: "quantitative", title: "test accuracy", scale: { zero: false } },
      color: { field: "variant", type: "nominal", title: "variant" },
      strokeDash: { field: "variant", type: "nominal" },
    },
    config: { font: "sans-serif" },
  };
  return renderSvg(spec);
}
