import { maxCode, minCode, width } from "../../gen/fixed/format.js";
import { comparatorCost } from "../../gen/segment/comparator.js";
import {
  type DatapathFormats,
  accumulate,
  datapathShape,
  evaluateLine,
  preOverflow,
} from "../../gen/segment/datapath.js";
import { type Fold, unfold } from "../../gen/segment/fold.js";
import type { FitProblem } from "../../gen/segment/problem.js";
import { withinBound } from "../../gen/segment/targets.js";

/**
 * The segmenter's naive twin: the true minimum segment count by brute force. Every
 * (slope, intercept) pair in the formats is tried on every code through the datapath's
 * own arithmetic and the accuracy predicate, and a dynamic program over all breakpoint
 * placements finds the fewest segments. Shares nothing with the fitter's hull geometry,
 * accumulator intervals or greedy argument. Only for small formats.
 *
 * For a table folded by symmetry (the problem's codes are magnitudes t = |x|), `folding`
 * gives the fold and f at every input code (index x - minCode): the table's output must
 * meet the bound at +t directly and at -t once unfolded (and stay in the output range).
 */
export interface Folding {
  readonly fold: Fold;
  readonly reference: Float64Array;
}

export function bruteForceMinimum(problem: FitProblem, formats: DatapathFormats, folding?: Folding): number {
  const reach = bruteForceReach(problem, formats, folding);
  const n = reach.length;
  // fewest[i] = fewest segments covering codes 0..i-1, over every placement.
  const fewest = new Array<number>(n + 1).fill(Infinity);
  fewest[0] = 0;
  for (let a = 0; a < n; a++) {
    if (fewest[a] === Infinity) continue;
    for (let b = a; b <= reach[a]!; b++) fewest[b + 1] = Math.min(fewest[b + 1]!, fewest[a]! + 1);
  }
  return fewest[n]!;
}

/**
 * The placement's twin: over every segmentation with the minimum number of segments
 * (every breakpoint placement, by a dynamic program over (segments used, codes covered)),
 * the least total comparator cost. A segment starting at index i > 0 costs the comparator
 * of the constant the tree compares against: the code itself for |x| (folded: the table
 * starts at 0) and unsigned inputs, x + 2^(w-1) for a signed x (its sign bit inverted).
 */
export function bruteForcePlacement(
  problem: FitProblem,
  formats: DatapathFormats,
  folding?: Folding,
): { segments: number; cost: number } {
  const reach = bruteForceReach(problem, formats, folding);
  const n = reach.length;
  const w = width(problem.input);
  const signed = problem.input.signed && folding === undefined;
  const cost = (i: number): number => {
    const code = problem.first + i;
    return comparatorCost(signed ? code + 2 ** (w - 1) : code, w, signed);
  };
  // least[k][i] = least cost of k segments covering exactly codes 0..i-1.
  let least = new Array<number>(n + 1).fill(Infinity);
  least[0] = 0;
  for (let k = 1; k <= n; k++) {
    const next = new Array<number>(n + 1).fill(Infinity);
    for (let a = 0; a < n; a++) {
      if (least[a] === Infinity) continue;
      const here = least[a]! + (a > 0 ? cost(a) : 0);
      for (let b = a; b <= reach[a]!; b++) next[b + 1] = Math.min(next[b + 1]!, here);
    }
    if (next[n] !== Infinity) return { segments: k, cost: next[n]! };
    least = next;
  }
  return { segments: Infinity, cost: Infinity };
}

/** reach[a] = last code of the longest run from a that one pair keeps within the bound (a - 1 if none). */
function bruteForceReach(problem: FitProblem, formats: DatapathFormats, folding?: Folding): number[] {
  const shape = datapathShape(formats);
  const n = problem.reference.length;
  const accepts = acceptor(problem, formats, folding);
  const reach = Array.from({ length: n }, (_, a) => a - 1);
  for (let m = shape.slopeMin; m <= shape.slopeMax; m++) {
    if (formats.slopeDigits !== undefined && signedDigitWeight(m) > formats.slopeDigits) continue;
    for (let c = shape.interceptMin; c <= shape.interceptMax; c++) {
      // Walk backwards so each code knows where this pair's run through it ends.
      let runEnd = -1;
      for (let b = n - 1; b >= 0; b--) {
        if (!accepts(m, c, b)) runEnd = -1;
        else if (runEnd < 0) runEnd = b;
        if (runEnd > reach[b]!) reach[b] = runEnd;
      }
    }
  }
  return reach;
}

/**
 * Whether the pair (m, c) is acceptable at index b, through the datapath's own arithmetic
 * and the accuracy predicate: within the bound at every input code that reads that table
 * entry (+t and, folded, -t after unfolding, which must stay in the output range). In wrap
 * mode a design has no clamp logic and must never wrap (pwlgen's definition).
 */
export function acceptor(
  problem: FitProblem,
  formats: DatapathFormats,
  folding?: Folding,
): (m: number, c: number, b: number) => boolean {
  const shape = datapathShape(formats);
  const { output, bound } = problem;
  const xMin = problem.first;
  const inputMin = minCode(problem.input);
  const inputMax = maxCode(problem.input);
  const inOutput = (y: number): boolean => y >= minCode(output) && y <= maxCode(output);
  return (m, c, b) => {
    const y = evaluateLine(m, c, xMin + b, shape);
    if (shape.overflow === "wrap" && !inOutput(preOverflow(accumulate(m, c, xMin + b, shape), shape)))
      return false;
    if (!folding) return withinBound(y, problem.reference[b]!, output, bound);
    const t = xMin + b;
    const plus = t > inputMax || withinBound(y, folding.reference[t - inputMin]!, output, bound);
    const u = unfold(folding.fold, y, -t);
    const minus =
      t === 0 || (inOutput(u) && withinBound(u, folding.reference[-t - inputMin]!, output, bound));
    return plus && minus;
  };
}

/**
 * The fewest signed power-of-two digits that sum to m, by its own recursion (not the
 * non-adjacent form the generator uses): an even m has the digits of m / 2 shifted; an odd
 * m needs a digit +-1 and then the digits of (m - 1) / 2 or (m + 1) / 2.
 */
export function signedDigitWeight(m: number): number {
  const memo = new Map<number, number>();
  const weight = (v: number): number => {
    if (v === 0) return 0;
    if (v < 0) return weight(-v);
    if (v === 1) return 1;
    const known = memo.get(v);
    if (known !== undefined) return known;
    const w = v % 2 === 0 ? weight(v / 2) : 1 + Math.min(weight((v - 1) / 2), weight((v + 1) / 2));
    memo.set(v, w);
    return w;
  };
  return weight(m);
}
