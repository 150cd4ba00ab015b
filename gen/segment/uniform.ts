import { type DatapathFormats, datapathShape } from "./datapath.js";
import { LineFitter } from "./fitter.js";
import { chooseCoefficients } from "./lsq.js";
import { fitRange } from "./optimal.js";
import type { FitProblem, Segment, SegmentationMethod, SegmentationOutcome } from "./problem.js";

/**
 * The classic baseline (FloPoCo, hls4ml): 2^k equal segments addressed by the top k bits
 * of the input, with no comparators. Each segment still gets its best exact coefficient
 * pair; k is the smallest that makes every segment feasible (a finer split only
 * sub-divides segments, so feasibility is monotone in k and k is found by bisection).
 *
 * The domain holds 2^b codes, plus one more when the unit is folded (the magnitude
 * 2^(w-1) of the most negative input), which joins the last segment.
 */
export const uniformMethod: SegmentationMethod = {
  name: "uniform",
  select: "uniform",
  count(problem, formats, limit = Infinity) {
    const k = smallestIndexBits(problem, formats, limit);
    return k === undefined ? Infinity : 2 ** k;
  },
  segment(problem, formats): SegmentationOutcome {
    const k = smallestIndexBits(problem, formats, Infinity);
    if (k === undefined) return { ok: false, index: 0 };
    const shape = datapathShape(formats);
    const fitter = new LineFitter();
    const segments: Segment[] = [];
    for (const [start, end] of uniformRanges(problem, k)) {
      if (!fitRange(fitter, problem, shape, start, end))
        throw new Error("internal: uniform segment became infeasible");
      segments.push({ start, end, ...chooseCoefficients(fitter, problem, shape, start, end) });
    }
    return { ok: true, segments };
  },
};

/** Bits of a uniform domain: the largest b with 2^b <= the number of codes. */
export function domainBits(problem: FitProblem): number {
  return Math.floor(Math.log2(problem.reference.length));
}

/** The index ranges of 2^k equal segments (the odd extra code, if any, joins the last). */
export function uniformRanges(problem: FitProblem, k: number): [number, number][] {
  const n = problem.reference.length;
  const size = 2 ** (domainBits(problem) - k);
  const ranges: [number, number][] = [];
  for (let s = 0; s < 2 ** k; s++) ranges.push([s * size, s === 2 ** k - 1 ? n - 1 : (s + 1) * size - 1]);
  return ranges;
}

function feasible(problem: FitProblem, formats: DatapathFormats, k: number): boolean {
  const shape = datapathShape(formats);
  const fitter = new LineFitter();
  return uniformRanges(problem, k).every(([start, end]) => fitRange(fitter, problem, shape, start, end));
}

function smallestIndexBits(problem: FitProblem, formats: DatapathFormats, limit: number): number | undefined {
  const maxBits = Math.min(domainBits(problem), Math.floor(Math.log2(Math.max(1, limit))));
  if (!feasible(problem, formats, maxBits)) return undefined;
  let lo = 0;
  let hi = maxBits;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (feasible(problem, formats, mid)) hi = mid;
    else lo = mid + 1;
  }
  return hi;
}
