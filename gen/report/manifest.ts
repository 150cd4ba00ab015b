import { type FixFormat, formatName, width } from "../fixed/format.js";
import { type PwlChannel, type PwlDesign, hardwareSummary } from "../design/ir.js";
import type { ChannelReport, Generation } from "../generate.js";
import type { ErrorStats } from "../model/accuracy.js";
import { TOOL_NAME } from "../paths.js";
import { canonicalJson } from "../spec/load.js";
import { specJson } from "../spec/normalize.js";
import type { SimResult } from "../../sim/types.js";

/**
 * manifest.json: the machine-readable description of a generated unit. The names of
 * tool, module, function, input, output, maxErrorBound, segments, breakpoints,
 * coefficients, latency, errors, derivative and specHash are a contract other tools read.
 */
export interface UnitFiles {
  readonly module: string;
  readonly testbench: string;
  readonly vectors: string;
  readonly report: string;
  readonly plot: string;
}

export interface VectorSummary {
  readonly count: number;
  readonly exhaustive: boolean;
  readonly seed: number;
}

export const MANIFEST = "manifest.json";

export function manifest(
  generation: Generation,
  files: UnitFiles,
  vectors: VectorSummary,
  verification: readonly SimResult[] | undefined,
): object {
  const { design, spec } = generation;
  const channel = design.y;
  return {
    tool: { name: TOOL_NAME, version: design.toolVersion },
    module: design.module,
    function: design.function,
    formula: generation.function.formula,
    input: formatJson(design.input),
    output: formatJson(channel.output),
    rounding: channel.rounding,
    overflow: channel.overflow,
    maxErrorBound: channel.bound,
    ...tableJson(design, channel, generation.y),
    latency: design.pipeline,
    errors: errorsJson(generation.y.accuracy),
    derivative: derivativeJson(generation),
    files,
    vectors,
    verification: verification?.map(({ simulator, vectors: count, mismatches, passed }) => ({
      simulator,
      vectors: count,
      mismatches,
      passed,
    })),
    specHash: design.specHash,
    spec: JSON.parse(canonicalJson(specJson(spec))) as object,
    // The frozen IR itself, so tools (pwlgen train --design) can rebuild the golden model.
    ir: design,
  };
}

/** The table fields shared by y (top level) and a PWL dy. */
function tableJson(design: PwlDesign, channel: PwlChannel, report: ChannelReport): object {
  const provenance = report.provenance;
  return {
    segments: channel.breakpoints.length,
    breakpoints: channel.breakpoints,
    coefficients: channel.slopes.map((slope, i) => ({ slope, intercept: channel.intercepts[i]! })),
    coefficientFormats: {
      slope: formatJson(channel.slopeFormat),
      intercept: formatJson(channel.interceptFormat),
      interceptShift: channel.interceptShift,
      productShift: channel.productShift,
      shiftRounding: channel.shiftRounding,
    },
    segmentation: provenance && {
      method: provenance.method,
      select: channel.select.kind,
      minimal: provenance.method === "optimal",
      ampleSegments: provenance.ampleSegments,
      ampleSlopeFracBits: provenance.ampleSlopeFracBits,
      segmentBudget: provenance.segmentBudget,
      symmetry: {
        fold: channel.fold.kind,
        ...(channel.fold.kind === "point" ? { constant: channel.fold.constant } : {}),
        tableCodes:
          channel.fold.kind === "none" ? undefined : `|x| in [0, ${2 ** (width(design.input) - 1)}]`,
        unfolded: provenance.unfolded,
      },
    },
    hardware: {
      ...hardwareSummary(design.input, channel),
      saturateLow: channel.saturateLow,
      saturateHigh: channel.saturateHigh,
    },
  };
}

function derivativeJson(generation: Generation): object {
  const { design } = generation;
  const dy = design.dy;
  const report = generation.dy;
  if (!dy || !report) return { mode: "none" };
  const common = {
    output: formatJson(dy.output),
    formula: generation.function.derivative.formula,
    numericalReference: generation.function.derivative.numerical,
    errors: errorsJson(report.accuracy),
  };
  if (dy.kind === "slope") {
    return {
      mode: "slope",
      ...common,
      maxErrorBound: null,
      segments: design.y.breakpoints.length,
      breakpoints: design.y.breakpoints,
      coefficients: dy.values.map((value) => ({ value })),
      fold: dy.fold.kind,
    };
  }
  return { mode: "pwl", ...common, maxErrorBound: dy.bound, ...tableJson(design, dy, report) };
}

function errorsJson(accuracy: ErrorStats): object {
  return {
    max: accuracy.max,
    mean: accuracy.mean,
    rms: accuracy.rms,
    maxUlp: accuracy.maxUlp,
    worstInput: accuracy.worstCode,
  };
}

function formatJson(format: FixFormat): object {
  return {
    signed: format.signed,
    intBits: format.intBits,
    fracBits: format.fracBits,
    width: width(format),
    name: formatName(format),
  };
}
