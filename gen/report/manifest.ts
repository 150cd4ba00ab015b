import { z } from "zod";
import { type FixFormat, formatName, width } from "../fixed/format.js";
import { estimateCost } from "../cost/model.js";
import {
  type PwlChannel,
  type PwlDesign,
  architectureText,
  hardwareSummary,
  romEntries,
} from "../design/ir.js";
import { TARGET_NAMES } from "../synth/targets.js";
import type { ChannelReport, Generation } from "../generate.js";
import type { ErrorStats } from "../model/accuracy.js";
import { pwlDesignSchema } from "../design/schema.js";
import { TOOL_NAME } from "../paths.js";
import { moduleNameProblem } from "../spec/identifiers.js";
import { MAX_PIPELINE } from "../spec/schema.js";
import { FILE_LIMITS, readUserFile } from "../input/files.js";
import { UserError } from "../spec/errors.js";
import { canonicalJson, reason } from "../spec/load.js";
import { specJson } from "../spec/normalize.js";
import { firstMismatch } from "../../sim/testbench.js";
import type { SimResult } from "../../sim/types.js";
import { channelWordTree } from "../rtl/rom.js";

/**
 * manifest.json: the machine-readable description of a generated unit. The names of
 * tool, module, function, input, output, maxErrorBound, segments, breakpoints,
 * coefficients, latency, errors, derivative and specHash are a contract other tools read.
 */
export interface UnitFiles {
  /** The Verilog module and testbench (absent with --hdl vhdl). */
  readonly module?: string;
  readonly testbench?: string;
  /** The VHDL-2008 entity and testbench (with --hdl vhdl or both). */
  readonly vhdlModule?: string;
  readonly vhdlTestbench?: string;
  readonly vectors: string;
  /** The C model (--export c): header and source. */
  readonly cHeader?: string;
  readonly cSource?: string;
  /** The NumPy model (--export numpy). */
  readonly numpy?: string;
  /** The HDL sources in compile order (--export filelist). */
  readonly filelist?: string;
  readonly report: string;
  readonly plot: string;
}

export interface VectorSummary {
  readonly count: number;
  readonly exhaustive: boolean;
  readonly seed: number;
}

export const MANIFEST = "manifest.json";

/**
 * The fields of manifest.json that pwlgen reads back (sim, synth, train --design), as a
 * schema: what `manifest` writes must satisfy it (checked when compiling), and what is
 * read is checked with it. File names are plain names inside the unit directory.
 */
const fileName = z
  .string()
  .regex(
    /^(?!\.)[A-Za-z0-9_.-]{1,255}$/,
    "must be a plain file name inside the unit directory (letters, digits, _ - and ., not starting with .)",
  );

export const manifestSchema = z.looseObject({
  tool: z.looseObject({ name: z.literal(TOOL_NAME), version: z.string() }),
  module: z.string().superRefine((name, ctx) => {
    const problem = moduleNameProblem(name);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  }),
  files: z
    .object({
      module: fileName.optional(),
      testbench: fileName.optional(),
      vhdlModule: fileName.optional(),
      vhdlTestbench: fileName.optional(),
      vectors: fileName,
      cHeader: fileName.optional(),
      cSource: fileName.optional(),
      numpy: fileName.optional(),
      filelist: fileName.optional(),
    })
    .refine((files) => files.module !== undefined || files.vhdlModule !== undefined, {
      message:
        "names no module: a unit has a Verilog module (files.module), a VHDL one (files.vhdlModule) or both",
    }),
  vectors: z.object({ count: z.number().int().min(1) }),
  latency: z.number().int().min(0).max(MAX_PIPELINE),
  specHash: z.string().regex(/^[0-9a-f]{64}$/, "is not a spec hash (64 hex digits)"),
  spec: z.record(z.string(), z.unknown()),
  ir: pwlDesignSchema,
});

/** A manifest.json's JSON, within the size limit for manifests; `field` names the option that led here. */
export function readManifest(path: string, field: string): unknown {
  const text = readUserFile(path, { field, limit: FILE_LIMITS.manifest });
  try {
    return JSON.parse(text);
  } catch {
    throw new UserError(field, path, "is not valid JSON; regenerate the unit with pwlgen gen");
  }
}

/**
 * Checks a manifest with (a part of) manifestSchema. A manifest that does not say pwlgen
 * wrote it gives undefined (the caller says so in its words); any other problem is a
 * UserError naming the manifest, the field path and its value.
 */
export function parseManifest<S extends z.ZodType>(
  schema: S,
  data: unknown,
  path: string,
): z.output<S> | undefined {
  const tool = (data as { tool?: { name?: unknown } } | null)?.tool;
  if (typeof data !== "object" || data === null || tool?.name !== TOOL_NAME) return undefined;
  const result = schema.safeParse(data);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const at = issue.path.map((key) => (typeof key === "number" ? `[${key}]` : `.${String(key)}`)).join("");
  let value: unknown = data;
  for (const key of issue.path) value = (value as Record<PropertyKey, unknown> | undefined)?.[key];
  throw new UserError(`${path}: ${at.slice(at.startsWith(".") ? 1 : 0)}`, value, reason(issue));
}

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
    // The cost model's estimates for the whole unit on every target (no synthesis run).
    costEstimates: Object.fromEntries(TARGET_NAMES.map((target) => [target, estimateCost(design, target)])),
    errors: errorsJson(generation.y.accuracy),
    derivative: derivativeJson(generation),
    files,
    vectors,
    verification: verification?.map((result) => ({
      simulator: result.simulator,
      vectors: result.vectors,
      mismatches: result.mismatches,
      passed: result.passed,
      ...(firstMismatch(result) ? { firstMismatch: firstMismatch(result) } : {}),
    })),
    specHash: design.specHash,
    spec: JSON.parse(canonicalJson(specJson(spec))) as Record<string, unknown>,
    // The frozen IR itself, so tools (pwlgen train --design) can rebuild the golden model.
    ir: design,
  } satisfies z.input<typeof manifestSchema>;
}

/** A table's architecture: how it reads x, finds the segment and writes y. */
function architectureJson(design: PwlDesign, channel: PwlChannel): object {
  const select = channel.select;
  return {
    summary: architectureText(channel),
    // wordTree: the Verilog's tree nodes select the ROM words (gen/rtl/rom.ts usesWordTree).
    select:
      select.kind === "tree"
        ? { kind: "tree", ...(channelWordTree(design, channel) ? { wordTree: true } : {}) }
        : select,
    foldStyle: channel.fold.kind === "none" ? undefined : channel.fold.style,
    droppedInputBits: channel.inputShift,
    droppedOutputBits: channel.outputShift,
    slopeDigits: channel.shiftAdd?.digits,
    romEntries: romEntries(channel),
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
    architecture: architectureJson(design, channel),
    choice: report.choice && {
      method: report.choice.method,
      target: report.choice.target,
      reason: report.choice.reason,
      optimalSegments: report.choice.optimalSegments,
      ...(report.choice.optimalSlopeDigits !== undefined
        ? { optimalSlopeDigits: report.choice.optimalSlopeDigits }
        : {}),
      candidates: report.choice.candidates.map((candidate) => ({
        method: candidate.method,
        architecture: candidate.architecture,
        segments: candidate.segments,
        romEntries: candidate.romEntries,
        romBits: candidate.romBits,
        estimate: candidate.estimate,
        screened: candidate.screened,
        ...(candidate.measured ? { measured: candidate.measured } : {}),
      })),
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
        ...(channel.fold.kind === "point" || channel.fold.kind === "ramp"
          ? { constant: channel.fold.constant }
          : {}),
        style: channel.fold.kind === "none" ? undefined : channel.fold.style,
        tableCodes:
          channel.fold.kind === "none"
            ? undefined
            : channel.fold.style === "ones"
              ? `x ^ sign in [0, ${2 ** (width(design.input) - 1) - 1}]`
              : `|x| in [0, ${2 ** (width(design.input) - 1)}]`,
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
