import {
  type FixFormat,
  formatName,
  maxCode,
  minCode,
  quantize,
  toReal,
  ulp,
  width,
} from "./fixed/format.js";
import { type ArchitectureSpec, type Choice, buildChosenTable } from "./design/choose.js";
import type { TableProvenance } from "./design/table.js";
import { type PwlChannel, type PwlDesign, type SlopeTap, freeze } from "./design/ir.js";
import { centralDifference, compileExpression } from "./functions/expression.js";
import { findFunction } from "./functions/registry.js";
import type { Symmetry } from "./functions/types.js";
import { type ErrorStats, measure } from "./model/accuracy.js";
import { channelFunction, evaluateDerivative, segmentAt } from "./model/golden.js";
import { TOOL_VERSION } from "./paths.js";
import { type Fold, NO_FOLD, derivativeFold, isRampConstant } from "./segment/fold.js";
import type { BoundSpec } from "./spec/bound.js";
import { preparedMeasure } from "./synth/measure.js";
import { TARGETS } from "./synth/targets.js";
import { UserError } from "./spec/errors.js";
import { parseOptions } from "./spec/load.js";
import { specHash } from "./spec/normalize.js";
import { type DesignSpec, type DesignSpecInput, defaultModuleName, designSchema } from "./spec/schema.js";

/** Everything one `gen` produces before any file is written. */
export interface Generation {
  readonly spec: DesignSpec;
  readonly design: PwlDesign;
  readonly function: FunctionInfo;
  /** Port y: accuracy and how it was reached. */
  readonly y: ChannelReport;
  /** Port dy, when there is one. */
  readonly dy?: ChannelReport;
}

export interface ChannelReport {
  /** Golden model against the real function (f, or f' for dy), over every input code. */
  readonly accuracy: ErrorStats;
  /** For PWL tables: how the table was reached. Absent for a slope tap. */
  readonly provenance?: TableProvenance;
  /** For --method auto and optimal: the architectures considered and why the winner won. */
  readonly choice?: Choice;
  /** The real function at every input code (index x - minCode(input)). */
  readonly reference: Float64Array;
}

/** The function being approximated, resolved from --function or --expr and its parameters. */
export interface FunctionInfo {
  readonly name: string;
  readonly formula: string;
  readonly f: (x: number) => number;
  readonly symmetry: Symmetry;
  readonly derivative: {
    readonly f: (x: number) => number;
    readonly formula: string;
    /** True when f' is a central difference (no symbolic derivative). */
    readonly numerical: boolean;
    readonly symmetry: Symmetry;
  };
}

/** Validates a spec (as a library caller writes it) and generates the design. */
export function generate(input: DesignSpecInput): Generation {
  const spec = parseOptions(designSchema, input as Record<string, unknown>, { fromCli: new Set() });
  return generateFromSpec(spec);
}

export function generateFromSpec(spec: DesignSpec): Generation {
  const fn = resolveFunction(spec);
  const reference = tabulateFunction(fn.f, spec.in);
  checkFinite(reference, spec, fn.name, (x) => withDefaultParameters(spec).f(x));
  const common = {
    input: spec.in,
    rounding: spec.rounding,
    overflow: spec.overflow,
    functionName: fn.name,
  };
  const context = {
    function: fn.name,
    pipeline: spec.pipeline,
    ...(spec.selectBy === "yosys" ? { measure: preparedMeasure() } : {}),
  };
  const yFolds = chooseFold(spec, fn.symmetry, spec.out);
  if (spec.foldStyle !== undefined && yFolds.fold.kind === "none" && !yFolds.searchFold) {
    throw new UserError(
      "--fold-style",
      spec.foldStyle,
      `applies only to a table folded by symmetry; ${fn.name} ${
        spec.symmetry === "off"
          ? "is not folded (--symmetry off)"
          : fn.symmetry.kind === "ramp" && spec.in.signed
            ? `(f(x) = f(-x) + x) folds only with --method auto or --symmetry ramp${spec.out.fracBits < spec.in.fracBits ? ", and an output with at least the input's fraction bits" : ""}`
            : "has no symmetry pwlgen folds"
      } here`,
    );
  }

  const yTable = buildChosenTable(
    {
      ...common,
      port: "y",
      reference,
      f: fn.f,
      output: spec.out,
      target:
        spec.segments !== undefined
          ? { kind: "budget", segments: spec.segments }
          : { kind: "bound", bound: spec.maxError! },
      ...yFolds,
      exactZero: spec.exactZero,
      fixed: { slope: spec.slopeFormat, intercept: spec.interceptFormat },
      labels: {
        bound: "--max-error",
        budget: "--segments",
        output: "--out",
        slope: "--slope-format",
        intercept: "--intercept-format",
      },
    },
    architectureSpec(spec),
    context,
  );
  const y = spec.segments !== undefined ? withMeasuredBound(yTable.channel, spec, reference) : yTable.channel;

  let dy: PwlChannel | SlopeTap | undefined;
  let dyReference: Float64Array | undefined;
  let dyProvenance: TableProvenance | undefined;
  let dyChoice: Choice | undefined;
  if (spec.derivative !== "none") {
    const dout = spec.dout!;
    dyReference = tabulateFunction(fn.derivative.f, spec.in);
    checkFinite(dyReference, spec, `${fn.name}'`, (x) => withDefaultParameters(spec).derivative.f(x));
    if (spec.derivative === "slope") {
      dy = slopeTap(y, dout, spec);
    } else {
      const table = buildChosenTable(
        {
          ...common,
          port: "dy",
          reference: dyReference,
          f: fn.derivative.f,
          output: dout,
          target: { kind: "bound", bound: derivativeBound(spec) },
          ...chooseFold(spec, fn.derivative.symmetry, dout),
          exactZero: spec.exactZero,
          fixed: {},
          labels: {
            bound: "--dmax-error",
            budget: "--dmax-error",
            output: "--dout",
            slope: "--slope-format",
            intercept: "--intercept-format",
          },
          functionName: `${fn.name}'`,
        },
        { method: spec.method, target: spec.target, slopeDigits: spec.slopeDigits },
        context,
      );
      dy = table.channel;
      dyProvenance = table.provenance;
      dyChoice = table.choice;
    }
  }

  const design: PwlDesign = freeze({
    module: spec.module ?? defaultModuleName(spec),
    function: fn.name,
    input: spec.in,
    pipeline: spec.pipeline,
    specHash: specHash(spec),
    toolVersion: TOOL_VERSION,
    foldForm: TARGETS[spec.target].foldForm,
    ...(TARGETS[spec.target].treeWords ? { treeWords: true as const } : {}),
    y,
    ...(dy ? { dy } : {}),
  });
  const yAccuracy = measureChannel(design, y, reference);
  if (!(yAccuracy.max <= y.bound)) {
    throw new Error(`internal: golden model error ${yAccuracy.max} exceeds the bound ${y.bound}`);
  }
  let dyReport: ChannelReport | undefined;
  if (dy && dyReference) {
    const accuracy =
      dy.kind === "pwl"
        ? measureChannel(design, dy, dyReference)
        : measure({
            input: spec.in,
            output: dy.output,
            hardware: (x) => evaluateDerivative(design, x),
            reference: dyReference,
            segment: (x) => segmentAt(y, x),
            segments: y.breakpoints.length,
          });
    if (dy.kind === "pwl" && !(accuracy.max <= dy.bound)) {
      throw new Error(`internal: golden model error ${accuracy.max} of dy exceeds the bound ${dy.bound}`);
    }
    dyReport = {
      accuracy,
      reference: dyReference,
      ...(dyProvenance ? { provenance: dyProvenance } : {}),
      ...(dyChoice ? { choice: dyChoice } : {}),
    };
  }
  return {
    spec,
    design,
    function: fn,
    y: {
      accuracy: yAccuracy,
      provenance: yTable.provenance,
      reference,
      ...(yTable.choice ? { choice: yTable.choice } : {}),
    },
    ...(dyReport ? { dy: dyReport } : {}),
  };
}

function measureChannel(design: PwlDesign, channel: PwlChannel, reference: Float64Array): ErrorStats {
  return measure({
    input: design.input,
    output: channel.output,
    hardware: channelFunction(channel),
    reference,
    segment: (x) => segmentAt(channel, x),
    segments: channel.breakpoints.length,
  });
}

/** With a segment budget the bound is the worst error the design actually reaches. */
function withMeasuredBound(channel: PwlChannel, spec: DesignSpec, reference: Float64Array): PwlChannel {
  const accuracy = measure({
    input: spec.in,
    output: channel.output,
    hardware: channelFunction(channel),
    reference,
    segment: () => 0,
    segments: 1,
  });
  return { ...channel, bound: accuracy.max };
}

export function resolveFunction(spec: DesignSpec): FunctionInfo {
  if (spec.expr !== undefined) {
    const compiled = compileExpression(spec.expr);
    const symmetry = detectSymmetry(compiled.evaluate, spec.in);
    return {
      name: "expr",
      formula: spec.expr,
      f: compiled.evaluate,
      symmetry,
      derivative: {
        f: compiled.derivative,
        formula: compiled.derivativeText ?? `d/dx (${spec.expr}), central difference`,
        numerical: compiled.derivativeText === undefined,
        symmetry: derivativeSymmetry(symmetry),
      },
    };
  }
  const fn = findFunction(spec.function!);
  if (!fn) throw new UserError("--function", spec.function, "is not a known function");
  const params = { alpha: spec.alpha, beta: spec.beta };
  const f = fn.make(params);
  const derivative = fn.derivative ? findFunction(fn.derivative) : undefined;
  return {
    name: fn.name,
    formula: fn.formula,
    f,
    symmetry: fn.symmetry,
    derivative: derivative
      ? {
          f: derivative.make(params),
          formula: derivative.formula,
          numerical: false,
          symmetry: derivative.symmetry,
        }
      : {
          f: centralDifference(f),
          formula: `d/dx (${fn.formula}), central difference`,
          numerical: true,
          symmetry: derivativeSymmetry(fn.symmetry),
        },
  };
}

function derivativeSymmetry(symmetry: Symmetry): Symmetry {
  // f(x) = f(-x) + x gives f'(-x) = 1 - f'(x).
  if (symmetry.kind === "ramp") return { kind: "point", value: 1 };
  const kind = derivativeFold(symmetry.kind);
  return kind === "none" || kind === "point" || kind === "ramp" ? { kind: "none" } : { kind };
}

/**
 * An expression's symmetry, found numerically over the input range: the folded table's
 * targets intersect both halves anyway, so a near-symmetry can only cost feasibility.
 */
function detectSymmetry(f: (x: number) => number, input: FixFormat): Symmetry {
  if (!input.signed) return { kind: "none" };
  const points: number[] = [];
  const steps = 257;
  for (let i = 1; i <= steps; i++) points.push(toReal(Math.round((maxCode(input) * i) / steps), input));
  const scale = Math.max(1, ...points.map((x) => Math.abs(f(x))));
  const tolerance = 1e-12 * scale;
  const holds = (g: (x: number) => number): boolean => points.every((x) => Math.abs(g(x)) <= tolerance);
  if (holds((x) => f(-x) + f(x))) return { kind: "odd" };
  if (holds((x) => f(-x) - f(x))) return { kind: "even" };
  const value = 2 * f(0);
  if (holds((x) => f(-x) + f(x) - value)) return { kind: "point", value };
  if (holds((x) => f(x) - f(-x) - x)) return { kind: "ramp" };
  return { kind: "none" };
}

/**
 * The fold a table gets: its function's symmetry, if --symmetry is not off and the input
 * is signed. A ramp symmetry (f(x) = f(-x) + x) costs an adder to unfold, so it folds every
 * method's table only with --symmetry ramp; with auto it is a `searchFold`, weighed by cost
 * against the unfolded designs, and the classic designs (optimal's count) stay unfolded.
 */
function chooseFold(
  spec: DesignSpec,
  symmetry: Symmetry,
  output: FixFormat,
): { fold: Fold; searchFold?: Fold } {
  if (spec.symmetry === "off" || !spec.in.signed || symmetry.kind === "none") return { fold: NO_FOLD };
  if (symmetry.kind === "ramp") {
    // y(x) = y(-x) + c x in output codes: c = 2^(output - input fraction bits), an integer.
    const constant = 2 ** (output.fracBits - spec.in.fracBits);
    if (!isRampConstant(constant)) {
      if (spec.symmetry !== "ramp") return { fold: NO_FOLD };
      throw new UserError(
        "--symmetry",
        spec.symmetry,
        `folds f(x) = f(-x) + x by adding x to the table's output, which needs an output with at least the input's ${spec.in.fracBits} fraction bits (${formatName(output)} has ${output.fracBits})`,
      );
    }
    const ramp: Fold = { kind: "ramp", constant, style: "twos" };
    if (spec.symmetry === "ramp") return { fold: ramp };
    const weighed =
      spec.method === "auto" && spec.derivative !== "slope" && TARGETS[spec.target].searchesRampFold;
    return weighed ? { fold: NO_FOLD, searchFold: ramp } : { fold: NO_FOLD };
  }
  if (symmetry.kind !== "point") return { fold: { kind: symmetry.kind, constant: 0, style: "twos" } };
  const constant = symmetry.value * 2 ** output.fracBits;
  // The constant must be an exact integer the unfolding subtractor can hold.
  if (!Number.isInteger(constant) || Math.abs(constant) >= 2 ** (width(output) + 1)) return { fold: NO_FOLD };
  return { fold: { kind: "point", constant, style: "twos" } };
}

/** The spec's architecture options (they shape port y's table; dy's follows its method). */
function architectureSpec(spec: DesignSpec): ArchitectureSpec {
  return {
    method: spec.method,
    target: spec.target,
    foldStyle: spec.foldStyle,
    dropInputBits: spec.dropInputBits,
    dropOutputBits: spec.dropOutputBits,
    indexBits: spec.indexBits,
    localOffset: spec.localOffset,
    shareSlopes: spec.shareSlopes,
    slopeDigits: spec.slopeDigits,
    selectBy: spec.selectBy,
  };
}

/** dy's bound: --dmax-error, or the --max-error value (ulps count in dy's format). */
function derivativeBound(spec: DesignSpec): BoundSpec {
  return spec.dmaxError ?? spec.maxError!;
}

/** dy = the active y segment's slope in the dy format (rounded, saturated), per segment. */
function slopeTap(y: PwlChannel, output: FixFormat, spec: DesignSpec): SlopeTap {
  const values = y.slopes.map((m) => quantize(toReal(m, y.slopeFormat), output, spec.rounding, "saturate"));
  const kind = derivativeFold(y.fold.kind);
  // A ramp-folded y's slope for negative x is 1 - the table's slope: a point fold, C = 1.0.
  const constant = kind === "point" ? 2 ** output.fracBits : 0;
  if (
    kind === "point" &&
    values.some((v) => constant - v < minCode(output) || constant - v > maxCode(output))
  ) {
    throw new UserError(
      "--dout",
      formatName(output),
      "cannot hold 1 - slope, dy for negative x of the table folded as f(x) = f(-x) + x (--symmetry ramp); widen --dout or use --symmetry auto",
    );
  }
  return {
    kind: "slope",
    port: "dy",
    output,
    rounding: spec.rounding,
    values,
    fold: { kind, constant, style: "twos" },
  };
}

/**
 * Every value must be finite. The value at fault is the expression, or the function; or,
 * when the function is finite there with its default parameters, the parameter given.
 */
function checkFinite(
  values: Float64Array,
  spec: DesignSpec,
  name: string,
  withDefaults: (x: number) => number,
): void {
  const index = values.findIndex((v) => !Number.isFinite(v));
  if (index < 0) return;
  const x = toReal(minCode(spec.in) + index, spec.in);
  const where = `at x = ${x}, inside the input range ${formatName(spec.in)}`;
  if (spec.expr !== undefined)
    throw new UserError("--expr", spec.expr, `gives ${values[index]} for ${name} ${where}`);
  const given = findFunction(spec.function!)?.params.find((p) => spec[p.name] !== undefined);
  if (given && Number.isFinite(withDefaults(x))) {
    throw new UserError(`--${given.name}`, spec[given.name], `makes ${name} give ${values[index]} ${where}`);
  }
  throw new UserError("--function", spec.function, `gives ${values[index]} for ${name} ${where}`);
}

/** The function resolved with its parameters left at their defaults. */
function withDefaultParameters(spec: DesignSpec): FunctionInfo {
  return resolveFunction({ ...spec, alpha: undefined, beta: undefined });
}

/** f at every input code, in increasing code order. */
export function tabulateFunction(f: (x: number) => number, input: FixFormat): Float64Array {
  const count = 2 ** width(input);
  const first = minCode(input);
  const values = new Float64Array(count);
  const step = ulp(input);
  for (let i = 0; i < count; i++) values[i] = f((first + i) * step);
  return values;
}
