import { maxCode, minCode } from "../../gen/fixed/format.js";
import {
  type DatapathFormats,
  accumulate,
  datapathShape,
  evaluateLine,
  preOverflow,
} from "../../gen/segment/datapath.js";
import type { FitProblem } from "../../gen/segment/problem.js";
import { withinBound } from "../../gen/segment/targets.js";

/**
 * The segmenter's naive twin: the true minimum segment count by brute force. Every
 * (slope, intercept) pair in the formats is tried on every code through the datapath's
 * own arithmetic and the accuracy predicate, and a dynamic program over all breakpoint
 * placements finds the fewest segments. Shares nothing with the fitter's hull geometry,
 * accumulator intervals or greedy argument. Only for small formats.
 */
export function bruteForceMinimum(problem: FitProblem, formats: DatapathFormats): number {
  const shape = datapathShape(formats);
  const n = problem.reference.length;
  const xMin = problem.first;
  // reach[a] = last code of the longest run from a that one pair keeps within the bound.
  const reach = Array.from({ length: n }, (_, a) => a - 1);
  for (let m = shape.slopeMin; m <= shape.slopeMax; m++) {
    for (let c = shape.interceptMin; c <= shape.interceptMax; c++) {
      // Walk backwards so each code knows where this pair's run through it ends.
      let runEnd = -1;
      for (let b = n - 1; b >= 0; b--) {
        const y = evaluateLine(m, c, xMin + b, shape);
        // In wrap mode a design has no clamp logic and must never wrap (pwlgen's definition).
        const q = preOverflow(accumulate(m, c, xMin + b, shape), shape);
        const inRange =
          shape.overflow === "saturate" || (q >= minCode(shape.output) && q <= maxCode(shape.output));
        const ok = inRange && withinBound(y, problem.reference[b]!, problem.output, problem.bound);
        if (!ok) runEnd = -1;
        else if (runEnd < 0) runEnd = b;
        if (runEnd > reach[b]!) reach[b] = runEnd;
      }
    }
  }
  // fewest[i] = fewest segments covering codes 0..i-1, over every placement.
  const fewest = new Array<number>(n + 1).fill(Infinity);
  fewest[0] = 0;
  for (let a = 0; a < n; a++) {
    if (fewest[a] === Infinity) continue;
    for (let b = a; b <= reach[a]!; b++) fewest[b + 1] = Math.min(fewest[b + 1]!, fewest[a]! + 1);
  }
  return fewest[n]!;
}
