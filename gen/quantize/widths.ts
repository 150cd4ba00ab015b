import { type FixFormat, maxReal, minReal, ulp, width } from "../fixed/format.js";
import { type DatapathFormats, datapathProblem } from "../segment/datapath.js";
import type { FitProblem } from "../segment/problem.js";

/** A segmentation method's segment count for given formats (Infinity if unreachable), stopping above `limit`. */
export type CountFn = (problem: FitProblem, formats: DatapathFormats, limit?: number) => number;

export interface FixedFormats {
  readonly slope?: FixFormat;
  readonly intercept?: FixFormat;
}

export interface FormatChoice {
  readonly slope: FixFormat;
  readonly intercept: FixFormat;
  /** The segment count with the chosen formats. */
  readonly segments: number;
  /** The count with generous formats (the floor no format choice can beat). */
  readonly ampleSegments: number;
  /** The slope fraction bits of the generous formats. */
  readonly ampleSlopeFracBits: number;
}

export type FormatOutcome =
  | ({ readonly ok: true } & FormatChoice)
  /** Some code cannot be reached even alone with these formats. */
  | { readonly ok: false };

/**
 * Chooses the narrowest slope and intercept formats that keep the segment count of the
 * generous ("ample") formats. Every step is a binary search on a monotone property:
 *
 *  - more slope fraction bits never cost a segment (a slope m at F bits is 2m at F+1, with
 *    the intercept and shift scaled to match), so the smallest F_slope that reaches the
 *    ample count is found first;
 *  - a wider slope or intercept range, or more intercept fraction bits, only adds pairs;
 *  - for the two smallest workable F_slope values, the slope range, the intercept's
 *    fraction bits and its range are narrowed in that order, signed and unsigned, and the
 *    choice with the fewest ROM bits wins.
 *
 * The result is the minimum count for the ample formats; it is the true minimum for any
 * formats as long as the ample slope precision is enough, which is why the ample
 * formats carry several bits more than the input range needs (see ampleFormats).
 */
export function chooseFormats(problem: FitProblem, count: CountFn, fixed: FixedFormats = {}): FormatOutcome {
  const ample = ampleFormats(problem, fixed);
  const target = count(problem, ample);
  if (target === Infinity) return { ok: false };
  const fits = (slope: FixFormat, intercept: FixFormat): boolean => {
    const formats = { ...ample, slope, intercept };
    return datapathProblem(formats) === undefined && count(problem, formats, target) <= target;
  };
  const inputFrac = problem.input.fracBits;
  const ampleIntercept = (slopeFrac: number): FixFormat =>
    fixed.intercept ?? {
      signed: true,
      intBits: ample.intercept.intBits,
      fracBits: inputFrac + slopeFrac,
    };
  const ampleSlope = (fracBits: number): FixFormat => ({
    signed: true,
    intBits: ample.slope.intBits,
    fracBits,
  });

  let slopeFracs: number[];
  if (fixed.slope) {
    slopeFracs = [fixed.slope.fracBits];
  } else {
    const lowest = Math.max(
      0,
      problem.output.fracBits - inputFrac,
      fixed.intercept ? fixed.intercept.fracBits - inputFrac : 0,
    );
    const first = smallestPassing(lowest, ample.slope.fracBits, (f) =>
      fits(ampleSlope(f), ampleIntercept(f)),
    );
    slopeFracs = [first, first + 1].filter((f) => f <= ample.slope.fracBits);
  }

  let best: { slope: FixFormat; intercept: FixFormat; bits: number } | undefined;
  for (const slopeFrac of slopeFracs) {
    const slope =
      fixed.slope ??
      narrowest(ample.slope.intBits, slopeFrac, (format) => fits(format, ampleIntercept(slopeFrac)));
    let intercept = fixed.intercept;
    if (!intercept) {
      const accFrac = inputFrac + slopeFrac;
      // Fewest intercept fraction bits: drop the most low-order bits that still fit.
      const interceptFrac = smallestPassing(0, accFrac, (f) =>
        fits(slope, { signed: true, intBits: ample.intercept.intBits, fracBits: f }),
      );
      intercept = narrowest(ample.intercept.intBits, interceptFrac, (format) => fits(slope, format));
    }
    const bits = width(slope) + width(intercept);
    if (best === undefined || bits < best.bits) best = { slope, intercept, bits };
  }
  if (!best) throw new Error("internal: no format candidate");
  const segments = count(problem, { ...ample, slope: best.slope, intercept: best.intercept });
  return {
    ok: true,
    slope: best.slope,
    intercept: best.intercept,
    segments,
    ampleSegments: target,
    ampleSlopeFracBits: ample.slope.fracBits,
  };
}

/**
 * Generous formats: slope integer bits for twice the steepest code-to-code slope, slope
 * fraction bits so that one slope step across the whole input range moves the output by
 * under 1/64 ulp, and an intercept that holds any line through the output range. Capped
 * so that the datapath stays exact in doubles (datapathProblem).
 */
export function ampleFormats(problem: FitProblem, fixed: FixedFormats = {}): DatapathFormats {
  const { input, output, reference } = problem;
  let steepest = 0;
  let largest = 0;
  for (let i = 0; i < reference.length; i++) {
    largest = Math.max(largest, Math.abs(reference[i]!));
    if (i > 0) steepest = Math.max(steepest, Math.abs(reference[i]! - reference[i - 1]!) / ulp(input));
  }
  const slopeInt = Math.max(1, Math.ceil(Math.log2(2 * steepest + 1)) + 1);
  const inputSpan = Math.max(Math.abs(minReal(input)), Math.abs(maxReal(input)));
  const interceptInt =
    Math.ceil(
      Math.log2(
        2 * steepest * inputSpan + largest + Math.max(Math.abs(minReal(output)), maxReal(output)) + 1,
      ),
    ) + 2;
  let slopeFrac = output.fracBits + Math.max(0, Math.ceil(Math.log2(inputSpan))) + 6;
  const base = { input, output, rounding: problem.rounding, overflow: problem.overflow };
  const make = (f: number): DatapathFormats => ({
    ...base,
    slope: fixed.slope ?? { signed: true, intBits: slopeInt, fracBits: f },
    intercept: fixed.intercept ?? { signed: true, intBits: interceptInt, fracBits: input.fracBits + f },
  });
  while (slopeFrac > 0 && datapathProblem(make(slopeFrac)) !== undefined) slopeFrac--;
  return make(slopeFrac);
}

/** Smallest v in [lo, hi] with passes(v), for a monotone predicate true at hi. */
function smallestPassing(lo: number, hi: number, passes: (v: number) => boolean): number {
  while (lo < hi) {
    const mid = lo + Math.floor((hi - lo) / 2);
    if (passes(mid)) hi = mid;
    else lo = mid + 1;
  }
  return hi;
}

/**
 * The narrowest format with `fracBits` fraction bits that passes, trying signed formats
 * (integer bits from 1 - fracBits up to `intBits`) and unsigned ones; signed wins ties.
 */
function narrowest(intBits: number, fracBits: number, passes: (format: FixFormat) => boolean): FixFormat {
  const signedFormat = (i: number): FixFormat => ({ signed: true, intBits: i, fracBits });
  const unsignedFormat = (i: number): FixFormat => ({ signed: false, intBits: i, fracBits });
  const lowest = 1 - fracBits;
  let best = signedFormat(smallestPassing(lowest, intBits, (i) => passes(signedFormat(i))));
  if (passes(unsignedFormat(intBits))) {
    const candidate = unsignedFormat(smallestPassing(lowest, intBits, (i) => passes(unsignedFormat(i))));
    if (width(candidate) < width(best)) best = candidate;
  }
  return best;
}
