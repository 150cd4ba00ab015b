import { type FixFormat, maxCode, minCode, ulp } from "../fixed/format.js";
import { AccBounds, type DatapathFormats, datapathShape } from "../segment/datapath.js";
import { LineFitter } from "../segment/fitter.js";
import { type FitProblem, operandAt } from "../segment/problem.js";
import type { CountFn } from "./widths.js";

/** Builds the problem for a bound, or undefined when some code cannot meet it at all. */
export type ProblemAt = (bound: number) => FitProblem | undefined;

/**
 * The smallest bound any design can meet: at each code, the distance from f(x) to the
 * nearest output code. Output rounding, and the output range, are all that limit it.
 */
export function smallestReachableBound(reference: Float64Array, output: FixFormat): number {
  const step = ulp(output);
  const lo = minCode(output);
  const hi = maxCode(output);
  let worst = 0;
  for (const f of reference) {
    const code = Math.min(hi, Math.max(lo, Math.round(f / step)));
    worst = Math.max(worst, Math.abs(code * step - f));
  }
  return worst;
}

/**
 * The smallest bound reachable when the coefficient formats are fixed: bisection on the
 * bound, where a bound is reachable when every code on its own has a coefficient pair.
 */
export function smallestBoundWithFormats(
  problemAt: ProblemAt,
  formats: DatapathFormats,
  from: number,
): number {
  const reachable = (bound: number): boolean => {
    const problem = problemAt(bound);
    return problem !== undefined && everyCodeReachable(problem, formats);
  };
  return bisect(from, reachable);
}

function everyCodeReachable(problem: FitProblem, formats: DatapathFormats): boolean {
  const shape = datapathShape(formats);
  const acc = new AccBounds(shape);
  const fitter = new LineFitter();
  const limits = { ...shape };
  const x = operandAt(problem);
  const { low, high } = problem.targets;
  for (let i = 0; i < low.length; i++) {
    fitter.reset(limits);
    if (!fitter.tryAdd(x(i), acc.low(low[i]!), acc.high(high[i]!))) return false;
  }
  return true;
}

/**
 * The smallest bound that `budget` segments reach with the given formats: bisection on
 * the bound (the count only falls as the bound grows). Returns the bound that was
 * reached; the caller measures the design's actual worst error, which is never larger.
 */
export function boundForBudget(
  problemAt: ProblemAt,
  formats: DatapathFormats,
  count: CountFn,
  budget: number,
  from: number,
): number {
  const fits = (bound: number): boolean => {
    const problem = problemAt(bound);
    return problem !== undefined && count(problem, formats, budget) <= budget;
  };
  return bisect(from, fits);
}

/**
 * No bound at all meets the targets: only a pinned code (--exact-zero) that fixed
 * coefficient formats cannot produce does that; the caller names the option.
 */
export class NoBoundReachable extends Error {
  constructor() {
    super("no bound is reachable");
  }
}

/** The largest bound the searches try: beyond it no coefficient format is sensible. */
export const LARGEST_BOUND = 2 ** 40;

/**
 * Smallest bound (to about 1e-12 relative) where the monotone predicate holds, searching
 * upward from `from`.
 */
function bisect(from: number, holds: (bound: number) => boolean): number {
  const start = Math.max(from, 2 ** -60);
  if (holds(start)) return start;
  let lo = start;
  let hi = start * 2;
  while (!holds(hi)) {
    lo = hi;
    hi *= 2;
    if (hi > LARGEST_BOUND) throw new NoBoundReachable();
  }
  while (hi - lo > hi * 1e-12) {
    const mid = (lo + hi) / 2;
    if (holds(mid)) hi = mid;
    else lo = mid;
  }
  return hi;
}
