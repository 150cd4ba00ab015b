import { bitsFor, minCode, width } from "../fixed/format.js";
import { comparatorCost } from "./comparator.js";
import { AccBounds, type DatapathShape } from "./datapath.js";
import { type BindingCode, LineFitter } from "./fitter.js";
import type { FitProblem } from "./problem.js";

/**
 * Breakpoint placement: the same minimal number of segments, with each breakpoint moved to
 * where its comparator is cheapest (comparatorCost: fewer key bits read, fewer terms).
 *
 * Windows. In any segmentation with the minimal count N, breakpoint j (the start of
 * segment j, 1 <= j < N) lies in [R_j, G_j]: greedy maximal extension from the left covers
 * the most codes with j segments, so G_j (its j-th start) is the latest; greedy from the
 * right (segments extended maximally leftwards from the last code) gives the earliest R_j.
 *
 * Joint choice. Breakpoints cannot move independently: the segment between two chosen
 * breakpoints must itself be feasible. A dynamic program over the windows picks one
 * breakpoint per window, minimising the total comparator cost over placements whose every
 * segment is feasible (the LineFitter's exact test, as greedy uses). The first segment
 * [0, b_1 - 1] and the last [b_{N-1}, end] are feasible for every choice in the windows
 * (sub-intervals of greedy's), so only the N - 2 inner transitions are tested.
 *
 * Testing a transition without rescanning a segment. Windows never overlap: G_j >= R_{j+1}
 * would let greedy-left's first j segments and greedy-right's last N - j - 1 cover every
 * code, N - 1 segments in all. So a segment from window j to window j + 1 is
 * [a, s - 1] + [s, b - 1] with s = R_{j+1}, where every left part is feasible (inside
 * greedy-right's segment j) and every right part too (inside greedy-left's segment j).
 * Only the vertices of a part's two hulls constrain the line (LineFitter.bindingCodes),
 * typically under a hundred however long the part. Greedy from the right records those of
 * [G_j, s - 1] as it passes G_j; a backward pass down window j completes them for every
 * candidate a, a forward pass up window j + 1 from s records them for every candidate b,
 * and a pair (a, b) is tested on those few codes, exactly. Feasibility is monotone (a
 * segment that fits fits every sub-interval), so with the starts a taken from the latest
 * down, the ends b they reach only shrink: a pointer walks each window once.
 *
 * Candidates. Each window is restricted to a bounded set: its two ends (so greedy-left's
 * and greedy-right's placements stay reachable: placement never costs more than greedy)
 * and the `candidates` cheapest positions, found among the positions of most trailing zeros
 * (a comparator's cost is mostly width minus trailing zeros). The program is exact over
 * these sets, and over all minimal segmentations whenever every window holds at most
 * `candidates` + 2 positions.
 *
 * Cost, for n codes, N segments, K candidates and hulls of V vertices: n fitter steps for
 * greedy from the right (as many as greedy from the left), two per code of the windows,
 * O(N * K * V) for the pair tests and O(N * K^2) for the program. K = 64 by default: on the
 * 16- to 24-bit designs measured, 256 candidates or every position found nothing cheaper.
 */
export interface PlacementOptions {
  /** Cheapest positions tried per window besides its two ends (Infinity: every position). */
  readonly candidates: number;
}

export const DEFAULT_PLACEMENT: PlacementOptions = { candidates: 64 };

/**
 * The comparison key of a table: the tree compares |x| as it is (folded tables, and
 * unsigned inputs), and a signed x as x - min(x), its sign bit inverted (see selectAndRom
 * in gen/rtl/view.ts). A folded problem has a signed input format and starts at 0.
 */
export interface ComparisonKey {
  /** Added to a table code to give the constant the comparator holds. */
  readonly offset: number;
  readonly width: number;
  readonly signed: boolean;
}

export function comparisonKey(problem: FitProblem): ComparisonKey {
  const signed = problem.input.signed && problem.first < 0;
  if (signed) return { offset: -minCode(problem.input), width: width(problem.input), signed };
  // An unsigned key is as wide as its largest code (|x| up to 2^(w-1), x ^ sign below it).
  const last = problem.first + problem.targets.low.length - 1;
  return { offset: 0, width: bitsFor(0, Math.max(1, last), false), signed };
}

/** The comparator cost of a segment starting at index i of the problem. */
export function breakpointCost(problem: FitProblem, key: ComparisonKey, i: number): number {
  return comparatorCost(problem.first + i + key.offset, key.width, key.signed);
}

/** Total comparator cost of a segmentation given by its starts (the first, 0, has no comparator). */
export function placementCost(problem: FitProblem, starts: readonly number[]): number {
  const key = comparisonKey(problem);
  return starts.slice(1).reduce((sum, start) => sum + breakpointCost(problem, key, start), 0);
}

export interface Placement {
  /** The segments' starts, index 0 first (as many as greedy's). */
  readonly starts: readonly number[];
  /**
   * Resets `fitter` to describe segment s (its codes' constraints), for choosing its
   * coefficients: inner segments from the binding codes the placement recorded, the first
   * and last by adding their codes.
   */
  load(fitter: LineFitter, s: number): void;
}

/**
 * The cheapest placement of the breakpoints of a minimal segmentation, given greedy-left's
 * starts (index 0 first).
 */
export function placeBreakpoints(
  problem: FitProblem,
  shape: DatapathShape,
  greedyStarts: readonly number[],
  options: PlacementOptions = DEFAULT_PLACEMENT,
): Placement {
  const count = greedyStarts.length;
  const test = new TransitionTest(problem, shape);
  if (count < 2) {
    const starts = [...greedyStarts];
    return { starts, load: (fitter, s) => test.load(fitter, s, starts) };
  }
  const right = greedyRight(problem, shape, greedyStarts);
  const earliest = right.starts;
  const key = comparisonKey(problem);
  const cost = (i: number): number => breakpointCost(problem, key, i);

  // cands[j]: the candidate starts of breakpoint j, increasing (cands[0]: the fixed start 0);
  // costs[j]: their comparators' costs.
  const cands: number[][] = [[0]];
  for (let j = 1; j < count; j++) {
    cands.push(candidates(earliest[j]!, greedyStarts[j]!, problem, key, options.candidates));
  }
  const costs = cands.map((list) => list.map(cost));

  // best[j][c]: the least cost of breakpoints 1..j with breakpoint j at cands[j][c];
  // from[j][c]: the index in cands[j - 1] it came from.
  let best = costs[1]!;
  const from: number[][] = [[], cands[1]!.map(() => 0)];
  for (let j = 1; j + 1 < count; j++) {
    const here = cands[j]!;
    const next = cands[j + 1]!;
    const fits = test.prepare(here, next, earliest[j + 1]!, right.middles[j]!);
    const nextBest = next.map(() => Infinity);
    const nextFrom = next.map(() => -1);
    // Starts from the latest down; the ends next[0..d] are those the start reaches (a
    // segment that does not fit from a start does not fit from an earlier one either).
    let d = next.length - 1;
    for (let c = here.length - 1; c >= 0; c--) {
      while (d >= 0 && !fits(c, d)) d--;
      for (let e = 0; e <= d; e++) {
        const total = best[c]! + costs[j + 1]![e]!;
        // Ties keep the later start (the walk goes down): greedy-left's placement when nothing is cheaper.
        if (total < nextBest[e]!) {
          nextBest[e] = total;
          nextFrom[e] = c;
        }
      }
    }
    best = nextBest;
    from.push(nextFrom);
  }

  let c = 0;
  for (let d = 1; d < best.length; d++) if (best[d]! <= best[c]!) c = d;
  if (best[c] === Infinity) throw new Error("internal: no placement, not even greedy's");
  const starts = new Array<number>(count).fill(0);
  const chosen = new Array<number>(count).fill(0);
  for (let j = count - 1; j >= 1; j--) {
    starts[j] = cands[j]![c]!;
    chosen[j] = c;
    c = from[j]![c]!;
  }
  return { starts, load: (fitter, s) => test.load(fitter, s, starts, chosen) };
}

/**
 * Feasibility of the segments [a, b - 1] between the candidates of two adjacent windows,
 * and afterwards the constraints of the chosen segments.
 */
class TransitionTest {
  private readonly fitter = new LineFitter();
  /** The fitter with the left part of the start under test. */
  private readonly base = new LineFitter();
  private readonly acc: AccBounds;
  private readonly mirrored: DatapathShape;
  /** 2^k: the intercept's weight in the accumulator. */
  private readonly step: number;
  /** Per window pair j (index j - 1), the binding codes of every left and right part. */
  private readonly parts: { left: BindingCode[][]; right: BindingCode[][] }[] = [];

  constructor(
    private readonly problem: FitProblem,
    private readonly shape: DatapathShape,
  ) {
    this.acc = new AccBounds(shape);
    this.mirrored = mirror(shape);
    this.step = 2 ** shape.interceptShift;
  }

  /**
   * Prepares the tests from starts `here` (window j) to ends `next` (window j + 1), both
   * increasing, with s = R_{j+1} and the binding codes of [G_j, s - 1] (mirrored, as
   * greedy from the right recorded them); returns the test for (here[c], next[d]).
   */
  prepare(
    here: readonly number[],
    next: readonly number[],
    split: number,
    middle: readonly BindingCode[],
  ): (c: number, d: number) => boolean {
    if (here.at(-1)! >= split) throw new Error("internal: windows overlap, so the count is not minimal");
    const left = this.leftParts(here, middle);
    const right = this.rightParts(next, split);
    this.parts.push({ left, right });
    // Consecutive tests share most codes: the pair that fitted the last segment often fits
    // the next one too, which a plain check of the few codes confirms without the hulls.
    // Otherwise the fitter holding start c's part (kept while c is tested) takes end d's.
    let witness: [number, number] | undefined;
    let loaded = -1;
    return (c, d) => {
      if (witness && fitsAll(witness, this.step, left[c]!) && fitsAll(witness, this.step, right[d]!))
        return true;
      if (loaded !== c) {
        if (!addAll(this.base, this.shape, left[c]!))
          throw new Error("internal: greedy-right's segment failed");
        loaded = c;
      }
      this.fitter.copyFrom(this.base);
      if (!right[d]!.every((v) => this.fitter.tryAdd(v.x, v.lo, v.hi))) return false;
      witness = this.fitter.witness();
      return true;
    };
  }

  /**
   * Loads segment s of a placement (starts, and the candidate index chosen per breakpoint)
   * into `fitter`: an inner segment from its parts' binding codes, which constrain it
   * exactly as its codes do; the first and last segments code by code.
   */
  load(fitter: LineFitter, s: number, starts: readonly number[], chosen: readonly number[] = []): void {
    const part = s >= 1 && s + 1 < starts.length ? this.parts[s - 1] : undefined;
    const end = s + 1 < starts.length ? starts[s + 1]! - 1 : this.problem.targets.low.length - 1;
    const fits = part
      ? addAll(fitter, this.shape, part.left[chosen[s]!]!, part.right[chosen[s + 1]!]!)
      : this.addRange(fitter, starts[s]!, end);
    if (!fits) throw new Error("internal: a placed segment is infeasible");
  }

  /** Resets the fitter and adds the codes [start, end]; false at the first that does not fit. */
  private addRange(fitter: LineFitter, start: number, end: number): boolean {
    fitter.reset(this.shape);
    const { low, high } = this.problem.targets;
    for (let i = start; i <= end; i++) {
      if (!fitter.tryAdd(this.problem.first + i, this.acc.low(low[i]!), this.acc.high(high[i]!)))
        return false;
    }
    return true;
  }

  /**
   * The binding codes of [a, s - 1] for each start a, from [G_j, s - 1]'s (the last start
   * is G_j) and one mirrored pass down the window.
   */
  private leftParts(here: readonly number[], middle: readonly BindingCode[]): BindingCode[][] {
    const parts: BindingCode[][] = here.map(() => []);
    this.fitter.reset(this.mirrored);
    if (!middle.every((v) => this.fitter.tryAdd(v.x, v.lo, v.hi)))
      throw new Error("internal: greedy-right's segment failed");
    // Back to increasing x: x = -x', in reverse order.
    const snapshot = (): BindingCode[] =>
      this.fitter
        .bindingCodes()
        .reverse()
        .map((v) => ({ x: 0 - v.x, lo: v.lo, hi: v.hi }));
    let c = here.length - 1;
    parts[c--] = snapshot();
    for (let i = here.at(-1)! - 1; c >= 0; i--) {
      if (!this.add(i, -1)) throw new Error("internal: greedy-right's segment failed");
      if (i === here[c]) parts[c--] = snapshot();
    }
    return parts;
  }

  /** The binding codes of [split, b - 1] for each end b, from one pass up. */
  private rightParts(next: readonly number[], split: number): BindingCode[][] {
    const parts: BindingCode[][] = next.map(() => []);
    this.fitter.reset(this.shape);
    let d = 1; // next[0] is split itself: an empty right part
    for (let i = split; d < next.length; i++) {
      if (!this.add(i, 1)) throw new Error("internal: greedy-left's segment failed");
      if (i !== next[d]! - 1) continue;
      parts[d] = this.fitter.bindingCodes();
      d++;
    }
    return parts;
  }

  /** Adds index i to the fitter, at x (direction 1) or mirrored at -x (direction -1). */
  private add(i: number, direction: 1 | -1): boolean {
    const { low, high } = this.problem.targets;
    const x = this.problem.first + i;
    return this.fitter.tryAdd(direction === 1 ? x : 0 - x, this.acc.low(low[i]!), this.acc.high(high[i]!));
  }
}

/** Resets the fitter and adds the codes of the lists (each in increasing x); false if they do not fit. */
function addAll(fitter: LineFitter, shape: DatapathShape, ...lists: (readonly BindingCode[])[]): boolean {
  fitter.reset(shape);
  return lists.every((list) => list.every((v) => fitter.tryAdd(v.x, v.lo, v.hi)));
}

/** Whether slope m and intercept C put m*x + C*2^k within every code's bounds (exact integers). */
function fitsAll([m, c]: [number, number], step: number, codes: readonly BindingCode[]): boolean {
  return codes.every((v) => {
    const acc = m * v.x + c * step;
    return acc >= v.lo && acc <= v.hi;
  });
}

/** The problem mirrored, x -> -x: the same intercepts, slopes negated (exact). */
function mirror(shape: DatapathShape): DatapathShape {
  return { ...shape, slopeMin: -shape.slopeMax, slopeMax: -shape.slopeMin };
}

/**
 * Greedy maximal extension from the right: each segment, from the last code down, takes as
 * many codes as fit. The fitter adds codes in increasing x, so the problem is mirrored
 * (x -> -x, slope -> -slope, the same intercepts), which is exact. Returns the starts,
 * index 0 first, and for each segment j but the last the binding codes (mirrored) of
 * [G_j, R_{j+1} - 1], G_j being greedy-left's start of segment j (`latest`), which the scan
 * passes: every transition out of window j shares them. The problem must be feasible and
 * its minimal count that of `latest`.
 */
export function greedyRight(
  problem: FitProblem,
  shape: DatapathShape,
  latest: readonly number[],
): { starts: number[]; middles: BindingCode[][] } {
  const { low, high } = problem.targets;
  const acc = new AccBounds(shape);
  const fitter = new LineFitter();
  const mirrored = mirror(shape);
  const starts = new Array<number>(latest.length).fill(0);
  const middles: BindingCode[][] = latest.map(() => []);
  let end = low.length - 1;
  for (let j = latest.length - 1; j >= 0; j--) {
    if (end < 0) throw new Error("internal: greedy from the right found another count");
    fitter.reset(mirrored);
    let start = end;
    while (
      start >= 0 &&
      fitter.tryAdd(0 - (problem.first + start), acc.low(low[start]!), acc.high(high[start]!))
    ) {
      if (start === latest[j]) middles[j] = fitter.bindingCodes();
      start--;
    }
    if (start === end) throw new Error("internal: greedy from the right met an unreachable code");
    starts[j] = start + 1;
    end = start;
  }
  if (end >= 0) throw new Error("internal: greedy from the right found another count");
  return { starts, middles };
}

/**
 * The candidate starts in the window [lo, hi]: both ends and the `limit` cheapest positions
 * among those of most trailing zeros in the comparator's constant (taken level by level,
 * from the most trailing zeros down, until there are twice `limit`). Increasing order.
 */
function candidates(
  lo: number,
  hi: number,
  problem: FitProblem,
  key: ComparisonKey,
  limit: number,
): number[] {
  if (hi - lo + 1 <= limit + 2) return Array.from({ length: hi - lo + 1 }, (_, i) => lo + i);
  const base = problem.first + key.offset; // constant = base + index
  const pool = new Set<number>();
  for (let t = key.width; t >= 0 && pool.size < 2 * limit; t--) {
    const step = 2 ** t;
    for (let v = Math.ceil((base + lo) / step) * step; v <= base + hi; v += step) pool.add(v - base);
  }
  const cheapest = [...pool]
    .map((i) => ({ i, cost: breakpointCost(problem, key, i) }))
    .sort((a, b) => a.cost - b.cost || b.i - a.i)
    .slice(0, limit)
    .map(({ i }) => i);
  return [...new Set([lo, hi, ...cheapest])].sort((a, b) => a - b);
}
