import { type FixFormat, formatName, width } from "../fixed/format.js";
import { hardwareSummary } from "../design/ir.js";
import type { Generation } from "../generate.js";
import { TOOL_NAME } from "../paths.js";
import { canonicalJson } from "../spec/load.js";
import { specJson } from "../spec/normalize.js";
import type { SimResult } from "../../sim/types.js";

/**
 * manifest.json: the machine-readable description of a generated unit. The names of
 * tool, module, function, input, output, maxErrorBound, segments, breakpoints,
 * coefficients, latency, errors and specHash are a contract other tools read.
 */
export interface UnitFiles {
  readonly module: string;
  readonly testbench: string;
  readonly vectors: string;
  readonly report: string;
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
  const { design, accuracy, provenance, spec } = generation;
  const channel = design.y;
  return {
    tool: { name: TOOL_NAME, version: design.toolVersion },
    module: design.module,
    function: design.function,
    input: formatJson(design.input),
    output: formatJson(channel.output),
    rounding: channel.rounding,
    overflow: channel.overflow,
    maxErrorBound: channel.bound,
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
    latency: design.pipeline,
    errors: {
      max: accuracy.max,
      mean: accuracy.mean,
      rms: accuracy.rms,
      maxUlp: accuracy.maxUlp,
      worstInput: accuracy.worstCode,
    },
    hardware: {
      ...hardwareSummary(design.input, channel),
      saturateLow: channel.saturateLow,
      saturateHigh: channel.saturateHigh,
    },
    segmentation: {
      method: provenance.method,
      minimal: true,
      ampleSegments: provenance.ampleSegments,
      ampleSlopeFracBits: provenance.ampleSlopeFracBits,
      ...(provenance.segmentBudget !== undefined ? { segmentBudget: provenance.segmentBudget } : {}),
    },
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
