import { ulp } from "../fixed/format.js";
import { type DatapathShape, lineEvaluator } from "./datapath.js";
import { lowerBound } from "./digits.js";
import type { LineFitter } from "./fitter.js";
import { type FitProblem, operandAt } from "./problem.js";

/**
 * Picks, among the integer pairs (slope, intercept) that keep a segment within the bound,
 * the one whose hardware output has the least squared error against f over the segment's
 * codes: the paper's least-squares improvement, applied to the bit-exact output.
 *
 * The real least-squares line (against the centre of each output code's rounding bin)
 * gives a slope m*; the integer slopes next to it that are feasible, and for each the
 * intercepts next to its least-squares intercept, are scored by their exact output.
 */
export function chooseCoefficients(
  fitter: LineFitter,
  problem: FitProblem,
  shape: DatapathShape,
  start: number,
  end: number,
): { slope: number; intercept: number } {
  const x = operandAt(problem);
  const n = end - start + 1;
  const { slope: mStar, xMean, tMean } = leastSquaresLine(problem, shape, start, end);
  const step = 2 ** shape.interceptShift;
  const outUlp = ulp(problem.output);
  const output = lineEvaluator(shape);
  // Long segments are scored on at most SCORED evenly spaced codes: the choice only ranks
  // pairs that all meet the bound, and the sample keeps wide inputs fast.
  const stride = Math.max(1, Math.floor(n / SCORED));

  let best: { slope: number; intercept: number; sse: number } | undefined;
  const consider = (m: number): void => {
    const [cLo, cHi] = fitter.interceptRange(m);
    if (cLo > cHi) return;
    const cStar = Math.round((tMean - m * xMean) / step);
    for (const c of new Set([cStar - 1, cStar, cStar + 1].map((v) => Math.min(cHi, Math.max(cLo, v))))) {
      let sse = 0;
      for (let i = start; i <= end; i += stride) {
        const err = output(m, c, x(i)) * outUlp - problem.reference[i]!;
        sse += err * err;
      }
      if (best === undefined || better(sse, m, c, best)) best = { slope: m, intercept: c, sse };
    }
  };

  const [mLo, mHi] = fitter.slopeRange();
  const allowed = fitter.allowedSlopes();
  if (allowed) {
    // Shift-add slopes: the allowed slopes next to m* in the feasible range.
    const first = lowerBound(allowed, mLo);
    const last = lowerBound(allowed, mHi + 1) - 1;
    const near = Math.max(first, Math.min(last, lowerBound(allowed, mStar)));
    for (let i = Math.max(first, near - 2); i <= Math.min(last, near + 1); i++) consider(allowed[i]!);
  } else {
    const mNear = Math.max(mLo, Math.min(mHi, Math.round(mStar)));
    for (let d = -2; d <= 2; d++) {
      const m = mNear + d;
      if (m >= mLo && m <= mHi) consider(m);
    }
  }
  // With a coarse intercept (k > 0) the slopes near m* may all lack a valid intercept;
  // the fitter's witness always has one.
  if (best === undefined) consider(fitter.witness()[0]);
  if (best === undefined) throw new Error("internal: a feasible segment has no coefficient pair");
  return { slope: best.slope, intercept: best.intercept };
}

const SCORED = 4096;

/**
 * The real least-squares line through f over the codes [start, end], in accumulator units,
 * aimed at the centre of each output code's rounding bin (for a truncating shift, half a
 * bin above f). Returns its slope and the means it passes through.
 */
export function leastSquaresLine(
  problem: FitProblem,
  shape: DatapathShape,
  start: number,
  end: number,
): { slope: number; xMean: number; tMean: number } {
  const s = shape.productShift;
  const toAcc = 2 ** (problem.output.fracBits + s);
  const centre = s > 0 && shape.shiftRounding === "truncate" ? 2 ** (s - 1) : 0;
  const n = end - start + 1;
  const x = operandAt(problem);
  let xMean = 0;
  let tMean = 0;
  for (let i = start; i <= end; i++) {
    xMean += x(i);
    tMean += problem.reference[i]! * toAcc + centre;
  }
  xMean /= n;
  tMean /= n;
  let sxx = 0;
  let sxt = 0;
  for (let i = start; i <= end; i++) {
    const dx = x(i) - xMean;
    sxx += dx * dx;
    sxt += dx * (problem.reference[i]! * toAcc + centre - tMean);
  }
  return { slope: sxx > 0 ? sxt / sxx : 0, xMean, tMean };
}

/** Least squared error first; then the smaller slope and intercept, so choices are stable. */
function better(
  sse: number,
  m: number,
  c: number,
  best: { slope: number; intercept: number; sse: number },
): boolean {
  if (sse !== best.sse) return sse < best.sse;
  if (Math.abs(m) !== Math.abs(best.slope)) return Math.abs(m) < Math.abs(best.slope);
  if (m !== best.slope) return m < best.slope;
  return (
    Math.abs(c) < Math.abs(best.intercept) || (Math.abs(c) === Math.abs(best.intercept) && c < best.intercept)
  );
}
