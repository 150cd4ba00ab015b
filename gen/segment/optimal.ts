import { AccBounds, type DatapathFormats, type DatapathShape, datapathShape } from "./datapath.js";
import { LineFitter } from "./fitter.js";
import { chooseCoefficients } from "./lsq.js";
import { DEFAULT_PLACEMENT, type PlacementOptions, placeBreakpoints } from "./placement.js";
import {
  type FitProblem,
  type Segment,
  type SegmentationMethod,
  type SegmentationOutcome,
  operandAt,
  relaxation,
} from "./problem.js";

/**
 * The provably minimal segmentation: greedy maximal extension from the left with the
 * exact feasibility test of LineFitter. A segment that fits also fits every sub-interval,
 * so ending each segment as late as possible never costs a segment later: the count is
 * the minimum for the given coefficient formats. The breakpoints are then moved, within
 * what keeps that count, to where the comparator tree is cheapest (placement.ts), and each
 * final segment gets its least-squares coefficients.
 */
export const optimalMethod: SegmentationMethod = {
  name: "optimal",
  indexed: false,
  count: countOptimal,
  segment: segmentOptimal,
};

/**
 * The minimal number of segments, or Infinity when some code is unreachable. Stops once
 * above `limit` (returning some count above it). With a limit, a large problem is counted
 * on its relaxation first: the minimal count of a subset of the codes is never more than
 * the whole's, so a relaxation above the limit settles it.
 */
export function countOptimal(problem: FitProblem, formats: DatapathFormats, limit = Infinity): number {
  const relaxed = limit === Infinity ? undefined : relaxation(problem);
  if (relaxed) {
    const lower = countOptimal(relaxed, formats, limit);
    if (lower > limit) return lower;
  }
  let count = 0;
  const outcome = greedy(problem, datapathShape(formats), () => {
    count++;
    return count <= limit;
  });
  return typeof outcome === "number" ? Infinity : count;
}

/**
 * The minimal segmentation with its breakpoints placed by `placement` (false: greedy's
 * own, each segment as long as it can be from the left).
 */
export function segmentOptimal(
  problem: FitProblem,
  formats: DatapathFormats,
  requested: PlacementOptions | false = DEFAULT_PLACEMENT,
): SegmentationOutcome {
  // A sampled problem (screening) has no codes to place breakpoints on: greedy's starts.
  const placement = problem.stride === undefined ? requested : false;
  const shape = datapathShape(formats);
  const greedyStarts: number[] = [];
  const greedySegments: Segment[] = [];
  const outcome = greedy(problem, shape, (fitter, start, end) => {
    greedyStarts.push(start);
    // Without placement the segment is final: its coefficients now, while the fitter describes it.
    if (!placement)
      greedySegments.push({ start, end, ...chooseCoefficients(fitter, problem, shape, start, end) });
    return true;
  });
  if (typeof outcome === "number") return { ok: false, index: outcome };
  if (!placement) return { ok: true, segments: greedySegments, select: { kind: "tree" } };
  const placed = placeBreakpoints(problem, shape, greedyStarts, placement);
  const n = problem.targets.low.length;
  const fitter = new LineFitter();
  const segments = placed.starts.map((start, s): Segment => {
    const end = s + 1 < placed.starts.length ? placed.starts[s + 1]! - 1 : n - 1;
    placed.load(fitter, s);
    return { start, end, ...chooseCoefficients(fitter, problem, shape, start, end) };
  });
  return { ok: true, segments, select: { kind: "tree" } };
}

/** Adds the codes at indices [start, end] to a fresh segment; false at the first that does not fit. */
export function fitRange(
  fitter: LineFitter,
  problem: FitProblem,
  shape: DatapathShape,
  start: number,
  end: number,
): boolean {
  fitter.reset(shape);
  return extendRange(fitter, problem, shape, start, end);
}

/** Adds the codes at indices [start, end] to the fitter's segment; false at the first that does not fit. */
export function extendRange(
  fitter: LineFitter,
  problem: FitProblem,
  shape: DatapathShape,
  start: number,
  end: number,
): boolean {
  const { low, high } = problem.targets;
  const acc = new AccBounds(shape);
  const x = operandAt(problem);
  for (let i = start; i <= end; i++) {
    if (!fitter.tryAdd(x(i), acc.low(low[i]!), acc.high(high[i]!))) return false;
  }
  return true;
}

/**
 * Runs greedy maximal extension, calling `close` for each finished segment while its
 * fitter still describes it. Returns "done", "stopped" (close returned false), or the
 * index of an unreachable code.
 */
function greedy(
  problem: FitProblem,
  shape: DatapathShape,
  close: (fitter: LineFitter, start: number, end: number) => boolean,
): "done" | "stopped" | number {
  const { low, high } = problem.targets;
  const n = low.length;
  const acc = new AccBounds(shape);
  const x = operandAt(problem);
  const fitter = new LineFitter();
  let start = 0;
  while (start < n) {
    fitter.reset(shape);
    let end = start;
    while (end < n && fitter.tryAdd(x(end), acc.low(low[end]!), acc.high(high[end]!))) end++;
    if (end === start) return start;
    if (!close(fitter, start, end - 1)) return "stopped";
    start = end;
  }
  return "done";
}
