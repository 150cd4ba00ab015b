import { AccBounds, type DatapathFormats, type DatapathShape, datapathShape } from "./datapath.js";
import { allowedSlopes, nearestAllowed } from "./digits.js";
import { leastSquaresLine } from "./lsq.js";
import {
  type FitProblem,
  type Segment,
  type SegmentationMethod,
  type SegmentationOutcome,
  operandAt,
} from "./problem.js";

/**
 * The paper's method, as its public description allows (Liao et al., Electronics 2023):
 * grow each segment while its least-squares line, rounded to the coefficient formats,
 * keeps every code within the bound. Growth doubles the segment, then bisects between the
 * last length that held and the first that failed. Kept as the published baseline: it
 * minimises squared error, not segments, so it may need more segments than `optimal`.
 */
export const lsqGreedyMethod: SegmentationMethod = {
  name: "lsq-greedy",
  indexed: false,
  count(problem, formats, limit = Infinity) {
    const outcome = run(problem, formats, limit);
    return outcome.ok ? outcome.segments.length : outcome.index < 0 ? limit + 1 : Infinity;
  },
  segment: (problem, formats) => run(problem, formats, Infinity),
};

function run(problem: FitProblem, formats: DatapathFormats, limit: number): SegmentationOutcome {
  const shape = datapathShape(formats);
  const bounds = new AccBounds(shape);
  const n = problem.reference.length;
  const segments: Segment[] = [];
  let start = 0;
  while (start < n) {
    if (segments.length >= limit) return { ok: false, index: -1 };
    let good = fit(problem, shape, bounds, start, start);
    if (!good) return { ok: false, index: start };
    let goodEnd = start;
    let badEnd = n;
    for (let length = 2; start + length - 1 < n; length *= 2) {
      const candidate = fit(problem, shape, bounds, start, start + length - 1);
      if (!candidate) {
        badEnd = start + length - 1;
        break;
      }
      good = candidate;
      goodEnd = start + length - 1;
    }
    if (badEnd === n && goodEnd < n - 1) {
      const candidate = fit(problem, shape, bounds, start, n - 1);
      if (candidate) {
        good = candidate;
        goodEnd = n - 1;
      } else {
        badEnd = n - 1;
      }
    }
    while (badEnd - goodEnd > 1) {
      const mid = goodEnd + Math.floor((badEnd - goodEnd) / 2);
      const candidate = fit(problem, shape, bounds, start, mid);
      if (candidate) {
        good = candidate;
        goodEnd = mid;
      } else {
        badEnd = mid;
      }
    }
    segments.push({ start, end: goodEnd, ...good });
    start = goodEnd + 1;
  }
  return { ok: true, segments, select: { kind: "tree" } };
}

/**
 * The least-squares line through f over codes [start, end], rounded to the formats, or
 * undefined if its hardware output leaves the bound at some code.
 */
function fit(
  problem: FitProblem,
  shape: DatapathShape,
  bounds: AccBounds,
  start: number,
  end: number,
): { slope: number; intercept: number } | undefined {
  const line = leastSquaresLine(problem, shape, start, end);
  const clamp = (v: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, v));
  const rounded = clamp(Math.round(line.slope), shape.slopeMin, shape.slopeMax);
  // Shift-add slopes (--slope-digits): the allowed slope nearest the least-squares one.
  const slope =
    shape.slopeDigits === undefined
      ? rounded
      : (nearestAllowed(allowedSlopes(shape.slopeDigits, shape.slopeMin, shape.slopeMax), line.slope) ?? 0);
  const intercept = clamp(
    Math.round((line.tMean - slope * line.xMean) / 2 ** shape.interceptShift),
    shape.interceptMin,
    shape.interceptMax,
  );
  // Check in accumulator space: the code's target maps to an exact accumulator interval.
  const { low, high } = problem.targets;
  const aligned = intercept * 2 ** shape.interceptShift;
  const x = operandAt(problem);
  for (let i = start; i <= end; i++) {
    const acc = slope * x(i) + aligned;
    if (acc < bounds.low(low[i]!) || acc > bounds.high(high[i]!)) return undefined;
  }
  return { slope, intercept };
}
