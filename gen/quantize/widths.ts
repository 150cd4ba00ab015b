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

/** Problems above this many codes search their widths on a decimated copy first. */
export const PROXY_CODES = 2 ** 16 + 1;

/**
 * The coefficient formats for a problem (see searchFormats). Wide inputs (more than
 * PROXY_CODES table codes) search on a decimated copy, every 2^d-th code, where each pass
 * is 2^d times cheaper; the formats found there (the same real formats) are then checked
 * at full resolution against the generous formats' count, one bit wider at a time if
 * needed. The segment count is always verified exactly on every code; only the widths'
 * narrowness is a search result, as it is for small inputs.
 */
export function chooseFormats(
  problem: FitProblem,
  count: CountFn,
  fixed: FixedFormats = {},
  proxyCodes = PROXY_CODES,
  search: typeof searchFormats = searchFormats,
): FormatOutcome {
  if (problem.reference.length <= proxyCodes) return search(problem, count, fixed);
  const ample = ampleFormats(problem, fixed);
  const target = count(problem, ample);
  if (target === Infinity) return { ok: false };
  const proxy = search(decimate(problem, proxyCodes), count, fixed);
  if (proxy.ok) {
    for (let extra = 0; extra <= 3; extra++) {
      const slope = fixed.slope ?? widen(proxy.slope, extra);
      const intercept = fixed.intercept ?? widen(proxy.intercept, extra);
      const formats = { ...ample, slope, intercept };
      if (datapathProblem(formats) !== undefined) continue;
      const segments = count(problem, formats, target);
      if (segments <= target) {
        return {
          ok: true,
          slope,
          intercept,
          segments,
          ampleSegments: target,
          ampleSlopeFracBits: ample.slope.fracBits,
        };
      }
    }
  }
  return search(problem, count, fixed);
}

/** One more integer and fraction bit per step. */
function widen(format: FixFormat, bits: number): FixFormat {
  return { signed: format.signed, intBits: format.intBits + bits, fracBits: format.fracBits + bits };
}

/** Every 2^d-th code of a problem, as a problem over an input with d fewer fraction bits. */
export function decimate(problem: FitProblem, proxyCodes = PROXY_CODES): FitProblem {
  const n = problem.reference.length;
  const d = Math.ceil(Math.log2((n - 1) / (proxyCodes - 1)));
  const step = 2 ** d;
  const count = Math.floor((n - 1) / step) + 1;
  const pick = (values: Float64Array): Float64Array => {
    const out = new Float64Array(count);
    for (let i = 0; i < count; i++) out[i] = values[i * step]!;
    return out;
  };
  return {
    ...problem,
    input: { ...problem.input, fracBits: problem.input.fracBits - d },
    first: problem.first / step,
    reference: pick(problem.reference),
    targets: { low: pick(problem.targets.low), high: pick(problem.targets.high) },
    ...(problem.offsetBits !== undefined ? { offsetBits: Math.max(0, problem.offsetBits - d) } : {}),
  };
}

/**
 * Where both format searches start: the ample formats, the count they reach (undefined
 * when no format reaches every code), and whether a narrower slope and intercept keep it.
 */
function countAtAmple(
  problem: FitProblem,
  count: CountFn,
  fixed: FixedFormats,
):
  | {
      ample: ReturnType<typeof ampleFormats>;
      target: number;
      fits: (slope: FixFormat, intercept: FixFormat) => boolean;
    }
  | undefined {
  const ample = ampleFormats(problem, fixed);
  const target = count(problem, ample);
  if (target === Infinity) return undefined;
  // The binary searches ask some pairs twice (a bound of one search is a probe of the next).
  const known = new Map<string, boolean>();
  const fits = (slope: FixFormat, intercept: FixFormat): boolean => {
    const key = `${slope.signed}${slope.intBits}.${slope.fracBits} ${intercept.signed}${intercept.intBits}.${intercept.fracBits}`;
    let fit = known.get(key);
    if (fit === undefined) {
      const formats = { ...ample, slope, intercept };
      fit = datapathProblem(formats) === undefined && count(problem, formats, target) <= target;
      known.set(key, fit);
    }
    return fit;
  };
  return { ample, target, fits };
}

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
export function searchFormats(problem: FitProblem, count: CountFn, fixed: FixedFormats = {}): FormatOutcome {
  const start = countAtAmple(problem, count, fixed);
  if (!start) return { ok: false };
  const { ample, target, fits } = start;
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
 * A quick format choice for screening candidates (design/choose.ts): the fewest slope and
 * intercept fraction bits that keep the generous formats' count, found by binary search as
 * in searchFormats, with the generous integer bits (the caller narrows them to the
 * coefficients it ends up storing). About a third of searchFormats' segmentation passes.
 */
export function screenFormats(problem: FitProblem, count: CountFn, fixed: FixedFormats = {}): FormatOutcome {
  const start = countAtAmple(problem, count, fixed);
  if (!start) return { ok: false };
  const { ample, target, fits } = start;
  const inputFrac = problem.input.fracBits;
  const intercept = (fracBits: number): FixFormat =>
    fixed.intercept ?? { signed: true, intBits: ample.intercept.intBits, fracBits };
  const slopeWith = (fracBits: number): FixFormat =>
    fixed.slope ?? { signed: true, intBits: ample.slope.intBits, fracBits };
  const lowest = Math.max(
    0,
    problem.output.fracBits - inputFrac,
    fixed.intercept ? fixed.intercept.fracBits - inputFrac : 0,
  );
  const slopeFrac =
    fixed.slope?.fracBits ??
    smallestPassing(lowest, ample.slope.fracBits, (f) => fits(slopeWith(f), intercept(inputFrac + f)));
  const slope = slopeWith(slopeFrac);
  const interceptFrac =
    fixed.intercept?.fracBits ?? smallestPassing(0, inputFrac + slopeFrac, (f) => fits(slope, intercept(f)));
  return {
    ok: true,
    slope,
    intercept: intercept(interceptFrac),
    segments: target,
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
    if (i > 0) steepest = Math.max(steepest, Math.abs(reference[i]! - reference[i - 1]!));
  }
  steepest /= ulp(input);
  const slopeInt = Math.max(1, Math.ceil(Math.log2(2 * steepest + 1)) + 1);
  const inputSpan = Math.max(Math.abs(minReal(input)), Math.abs(maxReal(input)));
  const interceptInt =
    Math.ceil(
      Math.log2(
        2 * steepest * inputSpan + largest + Math.max(Math.abs(minReal(output)), maxReal(output)) + 1,
      ),
    ) + 2;
  // The fewest slope fraction bits any datapath here can have: the product must reach the
  // output's fraction bits, and a fixed intercept's.
  const lowest = Math.max(
    0,
    output.fracBits - input.fracBits,
    fixed.intercept ? fixed.intercept.fracBits - input.fracBits : 0,
  );
  let slopeFrac = Math.max(lowest, output.fracBits + Math.max(0, Math.ceil(Math.log2(inputSpan))) + 6);
  const base = {
    input,
    output,
    rounding: problem.rounding,
    overflow: problem.overflow,
    ...(problem.slopeDigits !== undefined ? { slopeDigits: problem.slopeDigits } : {}),
  };
  const make = (f: number): DatapathFormats => ({
    ...base,
    slope: fixed.slope ?? { signed: true, intBits: slopeInt, fracBits: f },
    intercept: fixed.intercept ?? { signed: true, intBits: interceptInt, fracBits: input.fracBits + f },
  });
  // Narrower than generous where the datapath's exactness limits demand it. A fixed format
  // that breaks the limits by itself leaves the result invalid: table.ts reports that.
  while (slopeFrac > lowest && datapathProblem(make(slopeFrac)) !== undefined) slopeFrac--;
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
