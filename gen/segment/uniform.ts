import { type DatapathFormats, type DatapathShape, datapathShape } from "./datapath.js";
import { lowerBound } from "./digits.js";
import { LineFitter } from "./fitter.js";
import { chooseCoefficients } from "./lsq.js";
import { extendRange, fitRange } from "./optimal.js";
import {
  type FitProblem,
  type Segment,
  type SegmentationMethod,
  type SegmentationOutcome,
  type Select,
  relaxation,
} from "./problem.js";
import type { Targets } from "./targets.js";

/**
 * Index selects: the segment's ROM entry is addressed by the top k bits of the table code
 * (no comparators). The table's codes fall into 2^k aligned cells of 2^(b-k) codes.
 *
 * - `uniform` (the classic baseline of FloPoCo and hls4ml): every cell is a segment, with
 *   its best exact coefficient pair; k is the smallest that makes every cell feasible (a
 *   finer split only sub-divides cells, so feasibility is monotone in k: bisection).
 * - `grid`: breakpoints only on cell boundaries, segments as long as they stay feasible
 *   (greedy over whole cells, minimal among grid-aligned segmentations); the ROM still has
 *   2^k entries, repeating one segment's words over its cells, which logic synthesis shares.
 * - With local offsets (FitProblem.offsetBits = b - k) the multiplier sees only the code's
 *   offset within its cell, so its operand is b - k bits wide and the intercept is the
 *   value at the cell's start; every cell is then a segment of its own. A two's complement
 *   fold's magnitude 2^b, past the last cell, reads offset 0 (free) when the last cell is
 *   feasible so, or else its last code (FitProblem.offsetSaturates: an OR per offset bit).
 *
 * The domain holds 2^b codes, plus one more for a two's complement fold (the magnitude
 * 2^(w-1) of the most negative input), which joins the last cell.
 */
export const uniformMethod: SegmentationMethod = indexMethod("uniform");

/**
 * An index select: every cell a segment (uniform) or segments of whole cells (grid), with
 * k index bits, or the fewest that make every cell feasible.
 */
export function indexMethod(layout: "uniform" | "grid", k?: number): SegmentationMethod {
  const bits = (problem: FitProblem, formats: DatapathFormats, limit: number): number | undefined =>
    k === undefined
      ? smallestIndexBits(problem, formats, layout === "uniform" ? limit : Infinity)
      : k <= maxIndexBits(problem) && feasible(problem, formats, k)
        ? k
        : undefined;
  return {
    name: k === undefined ? layout : `${layout} ${k}`,
    indexed: true,
    ...(k === undefined ? {} : { indexBits: k }),
    count(problem, formats, limit = Infinity) {
      const chosen = bits(problem, formats, limit);
      if (chosen === undefined) return Infinity;
      if (layout === "uniform") return 2 ** chosen;
      return gridCount(problem, formats, chosen, limit);
    },
    segment(problem, formats): SegmentationOutcome {
      const chosen = bits(problem, formats, Infinity);
      if (chosen === undefined) return { ok: false, index: 0 };
      return indexSegments(problem, formats, chosen, layout);
    },
  };
}

/** Bits of a uniform domain: the largest b with 2^b <= the number of codes. */
export function domainBits(problem: FitProblem): number {
  return Math.floor(Math.log2(problem.reference.length));
}

/** The index ranges of 2^k equal cells (the odd extra code, if any, joins the last). */
export function uniformRanges(problem: FitProblem, k: number): [number, number][] {
  const n = problem.reference.length;
  const size = 2 ** (domainBits(problem) - k);
  const ranges: [number, number][] = [];
  for (let s = 0; s < 2 ** k; s++) ranges.push([s * size, s === 2 ** k - 1 ? n - 1 : (s + 1) * size - 1]);
  return ranges;
}

/**
 * The problem as an index select with k bits sees it: with local offsets, cells of 2^(b-k)
 * codes, and a code past the last cell (a two's complement fold's 2^b) reading offset 0
 * where the last cell is feasible so, else the cell's last code. Undefined when the last
 * cell is feasible neither way (the other cells read the same offsets in both).
 */
export function cellProblem(
  problem: FitProblem,
  k: number,
  fitter: LineFitter,
  shape: DatapathShape,
): FitProblem | undefined {
  if (problem.offsetBits === undefined) return problem;
  const bits = domainBits(problem) - k;
  const plain: FitProblem = { ...problem, offsetBits: bits, offsetSaturates: false };
  const top = 2 ** domainBits(problem);
  if (problem.reference.length === top) return plain;
  // The code past the last cell reads the operand of another of its codes: the cell's
  // first (wrapping) or, on every code, its last (saturating). The fitter takes codes in
  // increasing operand order, so that code's targets join the other's instead.
  const [start, end] = uniformRanges(problem, k).at(-1)!;
  const wrap = { ...plain, targets: aliasedTargets(problem.targets, top, top - 2 ** bits) };
  if (fitRange(fitter, wrap, shape, start, end)) return wrap;
  const saturating: FitProblem = { ...plain, offsetSaturates: true };
  const saturate =
    (problem.stride ?? 1) === 1
      ? { ...saturating, targets: aliasedTargets(problem.targets, top, top - 1) }
      : saturating;
  return fitRange(fitter, saturate, shape, start, end) ? saturate : undefined;
}

const aliases = new WeakMap<Targets, Map<number, Targets>>();

/** The targets with code `from`'s joined to code `to`'s, and `from` left unconstrained. */
function aliasedTargets(targets: Targets, from: number, to: number): Targets {
  let byIndex = aliases.get(targets);
  if (!byIndex) aliases.set(targets, (byIndex = new Map()));
  let joined = byIndex.get(to);
  if (!joined) {
    const low = Float64Array.from(targets.low);
    const high = Float64Array.from(targets.high);
    low[to] = Math.max(low[to]!, low[from]!);
    high[to] = Math.min(high[to]!, high[from]!);
    low[from] = -Infinity;
    high[from] = Infinity;
    joined = { low, high };
    byIndex.set(to, joined);
  }
  return joined;
}

/** The most index bits a problem allows: cells of at least two codes when the multiplier reads offsets. */
export function maxIndexBits(problem: FitProblem): number {
  return Math.max(0, domainBits(problem) - (problem.offsetBits === undefined ? 0 : 1));
}

/** The select of a table addressed by the top k bits of its b-bit codes. */
export function indexSelect(problem: FitProblem, k: number): Select {
  return {
    kind: "index",
    indexBits: k,
    // In codes (a sampled problem's cells hold stride codes per sample).
    shift: domainBits(problem) - k + Math.log2(problem.stride ?? 1),
    offset: problem.offsetBits !== undefined,
    ...(problem.offsetSaturates ? { offsetSaturates: true as const } : {}),
    ...(problem.shareSlopes ? { sharedSlopes: true as const } : {}),
  };
}

/**
 * Whether every cell of k index bits is feasible. A large problem's cells are tried on its
 * relaxation first (when it has k bits to split): the relaxation's cells hold a subset of
 * the same codes, at the same operands, so a cell infeasible there is infeasible here.
 */
function feasible(problem: FitProblem, formats: DatapathFormats, k: number): boolean {
  const relaxed = relaxation(problem);
  if (relaxed && k <= maxIndexBits(relaxed) && !feasible(relaxed, formats, k)) return false;
  const shape = datapathShape(formats);
  const fitter = new LineFitter();
  const cells = cellProblem(problem, k, fitter, shape);
  return (
    cells !== undefined &&
    uniformRanges(problem, k).every(([start, end]) => fitRange(fitter, cells, shape, start, end))
  );
}

/**
 * The smallest k at which every cell is feasible, up to log2(limit); undefined if none.
 * Without offsets a finer split only sub-divides cells, so feasibility is monotone in k
 * (bisection). With offsets it is not: each cell's intercept is its value at the cell's
 * start, so finer cells need a wider intercept range; the ks are tried in turn.
 */
export function smallestIndexBits(
  problem: FitProblem,
  formats: DatapathFormats,
  limit: number,
): number | undefined {
  const maxBits = Math.min(maxIndexBits(problem), Math.floor(Math.log2(Math.max(1, limit))));
  if (problem.offsetBits !== undefined) {
    for (let k = 0; k <= maxBits; k++) if (feasible(problem, formats, k)) return k;
    return undefined;
  }
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

/**
 * The segments of an index select with k bits: one per cell (uniform, or any select with
 * local offsets), or runs of whole cells (grid). Fails at the first infeasible cell.
 */
export function indexSegments(
  problem: FitProblem,
  formats: DatapathFormats,
  k: number,
  layout: "uniform" | "grid",
): SegmentationOutcome {
  const shape = datapathShape(formats);
  const fitter = new LineFitter();
  const ranges = uniformRanges(problem, k);
  const cells = cellProblem(problem, k, fitter, shape);
  if (cells === undefined) return { ok: false, index: ranges.at(-1)![0] };
  const segments: Segment[] = [];
  const close = (start: number, end: number): void => {
    if (!fitRange(fitter, cells, shape, start, end))
      throw new Error("internal: a feasible run became infeasible");
    segments.push({ start, end, ...chooseCoefficients(fitter, cells, shape, start, end) });
  };
  if (layout === "uniform" || cells.offsetBits !== undefined) {
    const slopes: [number, number][] = [];
    for (const [start, end] of ranges) {
      if (!fitRange(fitter, cells, shape, start, end)) return { ok: false, index: start };
      segments.push({ start, end, ...chooseCoefficients(fitter, cells, shape, start, end) });
      if (cells.shareSlopes) slopes.push(fitter.slopeRange());
    }
    if (cells.shareSlopes) shareSlopes(fitter, cells, shape, segments, slopes);
  } else {
    // Grow a segment cell by cell; a cell that does not fit closes it (refitted to its
    // last whole cell) and starts the next.
    let start = 0;
    let end = -1;
    fitter.reset(shape);
    for (const [cellStart, cellEnd] of ranges) {
      if (extendRange(fitter, cells, shape, cellStart, cellEnd)) {
        end = cellEnd;
        continue;
      }
      if (end < start) return { ok: false, index: cellStart };
      close(start, end);
      start = cellStart;
      if (!fitRange(fitter, cells, shape, cellStart, cellEnd)) return { ok: false, index: cellStart };
      end = cellEnd;
    }
    close(start, end);
  }
  return { ok: true, segments, select: indexSelect(cells, k) };
}

/**
 * The number of segments indexSegments gives a grid of k bits whose every cell is
 * feasible (as `bits` has checked), without their coefficients: with local offsets every
 * cell is a segment of its own; else runs of whole cells, grown greedily. Stops once above
 * `limit` (returning some count above it). With a limit, a large problem is counted on its
 * relaxation first (a subset of the codes never needs more runs of whole cells).
 */
function gridCount(problem: FitProblem, formats: DatapathFormats, k: number, limit: number): number {
  if (problem.offsetBits !== undefined) return 2 ** k;
  const relaxed = limit === Infinity ? undefined : relaxation(problem);
  if (relaxed && k <= maxIndexBits(relaxed)) {
    const lower = gridCount(relaxed, formats, k, limit);
    if (lower > limit) return lower;
  }
  const shape = datapathShape(formats);
  const fitter = new LineFitter();
  let count = 1;
  fitter.reset(shape);
  for (const [start, end] of uniformRanges(problem, k)) {
    if (extendRange(fitter, problem, shape, start, end)) continue;
    if (++count > limit) return count;
    if (!fitRange(fitter, problem, shape, start, end)) return Infinity;
  }
  return count;
}

/**
 * --share-slopes: runs of adjacent cells take one slope. Each cell's feasible integer
 * slopes are an interval (its fitter's slopeRange); a run grows while the intervals meet
 * (greedy stabbing: the fewest runs), and takes the slope in their intersection nearest
 * the mean of its cells' least-squares slopes (with --slope-digits, the nearest allowed
 * one). Each cell then keeps its intercept, moved into the range that slope allows it, so
 * every code stays within its targets. A cell whose range is empty for the run's slope (a
 * coarse intercept, k > 0) keeps its own pair and starts the next run.
 */
function shareSlopes(
  fitter: LineFitter,
  problem: FitProblem,
  shape: DatapathShape,
  segments: Segment[],
  slopes: readonly [number, number][],
): void {
  const allowed = fitter.allowedSlopes();
  let i = 0;
  while (i < segments.length) {
    let [lo, hi] = slopes[i]!;
    let j = i + 1;
    for (; j < segments.length; j++) {
      const [a, b] = slopes[j]!;
      if (Math.max(lo, a) > Math.min(hi, b)) break;
      lo = Math.max(lo, a);
      hi = Math.min(hi, b);
    }
    const mean = segments.slice(i, j).reduce((sum, s) => sum + s.slope, 0) / (j - i);
    const m = nearestSlope(mean, lo, hi, allowed);
    let next = i + 1;
    if (m !== undefined) {
      for (let c = i; c < j; c++) {
        const s = segments[c]!;
        if (!fitRange(fitter, problem, shape, s.start, s.end))
          throw new Error("internal: a feasible cell became infeasible");
        const [cLo, cHi] = fitter.interceptRange(m);
        if (cLo > cHi) break;
        segments[c] = { ...s, slope: m, intercept: Math.max(cLo, Math.min(cHi, s.intercept)) };
        next = c + 1;
      }
    }
    i = next;
  }
}

/** The integer slope in [lo, hi] nearest `target`, among the allowed ones if given. */
function nearestSlope(
  target: number,
  lo: number,
  hi: number,
  allowed: Float64Array | undefined,
): number | undefined {
  if (!allowed) return Math.max(lo, Math.min(hi, Math.round(target)));
  let best: number | undefined;
  for (let i = lowerBound(allowed, lo); i < allowed.length && allowed[i]! <= hi; i++) {
    if (best === undefined || Math.abs(allowed[i]! - target) < Math.abs(best - target)) best = allowed[i]!;
  }
  return best;
}
