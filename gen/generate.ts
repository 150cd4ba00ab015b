import { type FixFormat, formatName, maxReal, minCode, minReal, toReal, ulp, width } from "./fixed/format.js";
import { findFunction } from "./functions/registry.js";
import { buildChannel } from "./design/build.js";
import { type PwlDesign, freeze } from "./design/ir.js";
import { type ErrorStats, measureChannel } from "./model/accuracy.js";
import { TOOL_VERSION } from "./paths.js";
import { boundForBudget, smallestBoundWithFormats, smallestReachableBound } from "./quantize/bound.js";
import { ampleFormats, chooseFormats } from "./quantize/widths.js";
import type { DatapathFormats } from "./segment/datapath.js";
import { countOptimal, segmentOptimal } from "./segment/optimal.js";
import type { FitProblem } from "./segment/problem.js";
import { computeTargets } from "./segment/targets.js";
import { showReal } from "./spec/bound.js";
import { UserError } from "./spec/errors.js";
import { parseOptions } from "./spec/load.js";
import { specHash } from "./spec/normalize.js";
import { type DesignSpec, type DesignSpecInput, defaultModuleName, designSchema } from "./spec/schema.js";

/** Everything one `gen` produces before any file is written. */
export interface Generation {
  readonly spec: DesignSpec;
  readonly design: PwlDesign;
  /** Golden model against the real function, over every input code. */
  readonly accuracy: ErrorStats;
  /** How the design was reached, for the report. */
  readonly provenance: Provenance;
  /** f(x) at every input code (index i = code minCode(input) + i). */
  readonly reference: Float64Array;
}

export interface Provenance {
  readonly method: "optimal";
  /** Segment count with generous coefficient formats: no format choice does better. */
  readonly ampleSegments: number;
  readonly ampleSlopeFracBits: number;
  /** For --segments: the budget asked for. */
  readonly segmentBudget?: number;
}

/** Validates a spec (as a library caller writes it) and generates the design. */
export function generate(input: DesignSpecInput): Generation {
  const spec = parseOptions(designSchema, input as Record<string, unknown>, { fromCli: new Set() });
  return generateFromSpec(spec);
}

export function generateFromSpec(spec: DesignSpec): Generation {
  const fn = findFunction(spec.function);
  if (!fn) throw new UserError("--function", spec.function, "is not a known function");
  const reference = tabulateFunction(fn.evaluate, spec.in);
  const base = { input: spec.in, output: spec.out, rounding: spec.rounding, overflow: spec.overflow };
  const problemAt = (bound: number): FitProblem | undefined => {
    const result = computeTargets(reference, spec.out, bound, spec.overflow);
    return result.ok ? { ...base, bound, reference, targets: result.targets } : undefined;
  };
  const fixed = { slope: spec.slopeFormat, intercept: spec.interceptFormat };
  checkFixedFormats(spec);
  const floor = smallestReachableBound(reference, spec.out);

  let bound: number;
  if (spec.segments !== undefined) {
    const anyProblem = problemAt(Math.max(floor, ulp(spec.out)))!;
    bound = boundForBudget(problemAt, ampleFormats(anyProblem, fixed), countOptimal, spec.segments, floor);
  } else {
    const asked = spec.maxError!;
    bound = asked.kind === "ulp" ? asked.value * ulp(spec.out) : asked.value;
    if (bound < floor) throw unreachable(spec, bound, floor, reference);
  }
  const problem = problemAt(bound)!;
  const choice = chooseFormats(problem, countOptimal, fixed);
  if (!choice.ok) {
    const formats = ampleFormats(problem, fixed);
    const reachable = smallestBoundWithFormats(problemAt, formats, floor);
    const field = spec.slopeFormat ? "--slope-format" : "--intercept-format";
    const value = formatName((spec.slopeFormat ?? spec.interceptFormat)!);
    const other =
      spec.slopeFormat && spec.interceptFormat
        ? ` (with --intercept-format ${formatName(spec.interceptFormat)})`
        : "";
    throw new UserError(
      field,
      value,
      `${other} cannot reach the bound ${showReal(bound)} at every input code; the smallest bound these coefficient formats reach is ${showReal(reachable)}`.trim(),
    );
  }
  const formats: DatapathFormats = { ...base, slope: choice.slope, intercept: choice.intercept };
  const outcome = segmentOptimal(problem, formats);
  if (!outcome.ok) throw new Error("internal: chosen formats cannot segment the problem");
  const channel = buildChannel("y", problem, formats, outcome.segments);
  const accuracy = measureChannel(spec.in, channel, reference);
  if (!(accuracy.max <= bound)) {
    throw new Error(`internal: golden model error ${accuracy.max} exceeds the bound ${bound}`);
  }
  // With a segment budget the bound is the worst error the design actually reaches.
  const finalChannel = spec.segments !== undefined ? { ...channel, bound: accuracy.max } : channel;
  const module = spec.module ?? defaultModuleName(spec);
  const design: PwlDesign = freeze({
    module,
    function: spec.function,
    input: spec.in,
    pipeline: spec.pipeline,
    specHash: specHash(spec),
    toolVersion: TOOL_VERSION,
    y: finalChannel,
  });
  return {
    spec,
    design,
    accuracy,
    reference,
    provenance: {
      method: "optimal",
      ampleSegments: choice.ampleSegments,
      ampleSlopeFracBits: choice.ampleSlopeFracBits,
      ...(spec.segments !== undefined ? { segmentBudget: spec.segments } : {}),
    },
  };
}

/** f at every input code, in increasing code order. */
export function tabulateFunction(f: (x: number) => number, input: FixFormat): Float64Array {
  const count = 2 ** width(input);
  const first = minCode(input);
  const values = new Float64Array(count);
  for (let i = 0; i < count; i++) values[i] = f(toReal(first + i, input));
  return values;
}

function checkFixedFormats(spec: DesignSpec): void {
  const accFrac = spec.slopeFormat ? spec.in.fracBits + spec.slopeFormat.fracBits : undefined;
  if (accFrac !== undefined && accFrac < spec.out.fracBits) {
    throw new UserError(
      "--slope-format",
      formatName(spec.slopeFormat!),
      `needs at least ${spec.out.fracBits - spec.in.fracBits} fraction bits so the product reaches the output's ${spec.out.fracBits}`,
    );
  }
  if (accFrac !== undefined && spec.interceptFormat && spec.interceptFormat.fracBits > accFrac) {
    throw new UserError(
      "--intercept-format",
      formatName(spec.interceptFormat),
      `has more fraction bits than input + slope (${accFrac})`,
    );
  }
}

/**
 * Why a bound cannot be met: below half an output ulp (blame --max-error), or the function
 * leaves the output format's range by more than the bound (blame --out).
 */
function unreachable(spec: DesignSpec, bound: number, floor: number, reference: Float64Array): UserError {
  const half = ulp(spec.out) / 2;
  const reach = `the smallest reachable bound is ${showReal(floor)} (${(floor / ulp(spec.out)).toPrecision(4)}ulp)`;
  if (bound < half) {
    const label = spec.maxError?.kind === "ulp" ? `${spec.maxError.value}ulp` : showReal(bound);
    return new UserError(
      "--max-error",
      label,
      `is below half an output ulp (${showReal(half)} for ${formatName(spec.out)}), which output rounding alone costs; ${reach}`,
    );
  }
  const lo = minReal(spec.out);
  const hi = maxReal(spec.out);
  const index = Math.max(
    0,
    reference.findIndex((f) => Math.abs(f - Math.min(hi, Math.max(lo, f))) > bound),
  );
  const x = toReal(minCode(spec.in) + index, spec.in);
  return new UserError(
    "--out",
    formatName(spec.out),
    `cannot hold ${spec.function}(${x}) = ${reference[index]!.toPrecision(8)} within ${showReal(bound)}: ` +
      `its range is [${lo}, ${hi}]; choose a wider output format (${reach} with this one)`,
  );
}
