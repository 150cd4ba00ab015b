import { type FixFormat, type Overflow, maxCode, minCode, ulp } from "../fixed/format.js";

/**
 * The accuracy predicate (computeTargets inlines it): output code `code` represents `reference` within `bound`.
 * Everything that claims "within the bound" (targets, reports, tests) uses this one test,
 * in double precision, so the segmenter and the checks can never disagree.
 */
export function withinBound(code: number, reference: number, output: FixFormat, bound: number): boolean {
  return Math.abs(code * ulp(output) - reference) <= bound;
}

/**
 * For every input code, the output codes [low, high] that meet the bound. An end that
 * touches a saturating limit is open (-Infinity / +Infinity): any larger excursion of
 * the accumulator saturates to that limit, which is still acceptable.
 */
export interface Targets {
  readonly low: Float64Array;
  readonly high: Float64Array;
}

export type TargetResult =
  { readonly ok: true; readonly targets: Targets } | { readonly ok: false; readonly index: number };

export function computeTargets(
  reference: Float64Array,
  output: FixFormat,
  bound: number,
  overflow: Overflow,
): TargetResult {
  const n = reference.length;
  const low = new Float64Array(n);
  const high = new Float64Array(n);
  const yMin = minCode(output);
  const yMax = maxCode(output);
  const scale = 2 ** output.fracBits;
  const step = ulp(output);
  const saturate = overflow === "saturate";
  for (let i = 0; i < n; i++) {
    const f = reference[i]!;
    // The smallest and largest output codes y with |y * step - f| <= bound (the withinBound
    // test), from the rounded estimates clamped to the code range, then corrected a step or
    // two (clamping first keeps huge bounds from walking past 2^53).
    // Nothing in range (or f is NaN): infeasible without walking the range.
    if (!((f + bound) * scale >= yMin - 1 && (f - bound) * scale <= yMax + 1)) return { ok: false, index: i };
    let lo = clamp(Math.ceil((f - bound) * scale), yMin, yMax);
    while (lo > yMin && Math.abs((lo - 1) * step - f) <= bound) lo--;
    while (lo <= yMax && !(Math.abs(lo * step - f) <= bound)) lo++;
    let hi = clamp(Math.floor((f + bound) * scale), yMin, yMax);
    while (hi < yMax && Math.abs((hi + 1) * step - f) <= bound) hi++;
    while (hi >= yMin && !(Math.abs(hi * step - f) <= bound)) hi--;
    if (!(lo <= hi)) return { ok: false, index: i };
    low[i] = saturate && lo === yMin ? -Infinity : lo;
    high[i] = saturate && hi === yMax ? Infinity : hi;
  }
  return { ok: true, targets: { low, high } };
}

/** v clamped to [lo, hi]; NaN (from an infinite bound) becomes lo. */
function clamp(v: number, lo: number, hi: number): number {
  return v >= lo ? (v <= hi ? v : hi) : lo;
}

/**
 * Narrows the accepted codes at one input to the single code nearest the function's value
 * there (among the accepted ones; ties to the lower code), for outputs that must be exact
 * at one point (--exact-zero). An open saturated end stays open: a saturated output is
 * exactly the end code.
 */
export function pinTarget(targets: Targets, index: number, value: number, output: FixFormat): void {
  const yMin = minCode(output);
  const yMax = maxCode(output);
  const lo = Math.max(targets.low[index]!, yMin);
  const hi = Math.min(targets.high[index]!, yMax);
  const exact = value * 2 ** output.fracBits;
  const below = clamp(Math.floor(exact), lo, hi);
  const above = clamp(Math.ceil(exact), lo, hi);
  const code = Math.abs(above - exact) < Math.abs(exact - below) ? above : below;
  targets.low[index] = code === yMin && targets.low[index] === -Infinity ? -Infinity : code;
  targets.high[index] = code === yMax && targets.high[index] === Infinity ? Infinity : code;
}
