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
    const ok = (code: number): boolean => Math.abs(code * step - f) <= bound;
    let lo = Math.ceil((f - bound) * scale);
    while (ok(lo - 1)) lo--;
    while (!ok(lo) && lo <= (f + bound) * scale) lo++;
    let hi = Math.floor((f + bound) * scale);
    while (ok(hi + 1)) hi++;
    while (!ok(hi) && hi >= (f - bound) * scale) hi--;
    lo = Math.max(lo, yMin);
    hi = Math.min(hi, yMax);
    if (!(lo <= hi && ok(lo) && ok(hi))) return { ok: false, index: i };
    low[i] = saturate && lo === yMin ? -Infinity : lo;
    high[i] = saturate && hi === yMax ? Infinity : hi;
  }
  return { ok: true, targets: { low, high } };
}
