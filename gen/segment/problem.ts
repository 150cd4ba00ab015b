import type { FixFormat, Overflow, Rounding } from "../fixed/format.js";
import type { DatapathFormats } from "./datapath.js";
import type { Targets } from "./targets.js";

/**
 * What a segmentation method is asked to solve: approximate `reference` (f at the codes
 * first, first + 1, ..., index i standing for code first + i) so that the hardware's output
 * code lies within `targets` at every code. The codes are the input format's, or, for a
 * unit folded by symmetry, the magnitudes 0 .. 2^(w-1).
 */
export interface FitProblem {
  /** The input format (its fraction bits set the datapath's scaling). */
  readonly input: FixFormat;
  /** The code at index 0. */
  readonly first: number;
  readonly output: FixFormat;
  readonly rounding: Rounding;
  readonly overflow: Overflow;
  readonly bound: number;
  readonly reference: Float64Array;
  readonly targets: Targets;
  /**
   * Local offsets: the multiplier sees only the low `offsetBits` bits of the table code
   * (its offset within an aligned cell of 2^offsetBits codes), not the code itself.
   */
  readonly offsetBits?: number;
  /**
   * Local offsets past the last cell (a two's complement fold's magnitude 2^b): false, its
   * offset wraps to 0 (the cell's start, no logic); true, it saturates at the last cell's
   * last code, as its cell index does (an OR per offset bit).
   */
  readonly offsetSaturates?: boolean;
  /** --slope-digits: slopes with at most this many signed power-of-two digits (shift-add). */
  readonly slopeDigits?: number;
  /**
   * --share-slopes (uniform cells): runs of adjacent cells take one slope where one serves
   * them all, each cell its own intercept for it; the segmentation is the same.
   */
  readonly shareSlopes?: boolean;
  /**
   * A sample of a larger problem (to screen an architecture quickly): index i stands for
   * table code first + i * stride, and offsetBits counts samples. Absent: every code.
   */
  readonly stride?: number;
}

/** The multiplier's operand at index i: the table code, or its offset within its cell. */
export function operandAt(problem: FitProblem): (i: number) => number {
  const bits = problem.offsetBits;
  const stride = problem.stride ?? 1;
  if (bits === undefined) {
    const first = problem.first;
    return (i) => first + i * stride;
  }
  // Cells of 2^bits indices; those from 2^floor(log2 n) on lie past the last cell.
  const cells = 2 ** Math.floor(Math.log2(problem.reference.length)) / 2 ** bits;
  const offset = cellOffset(2 ** bits * stride, cells, problem.offsetSaturates === true);
  return (i) => offset(i * stride);
}

/**
 * Local offsets: the multiplier's operand for a code u codes past the table's first, in
 * cells of `size` codes. Past the last of `cells` cells (only a two's complement fold's
 * 2^b) it wraps to 0 or, saturating, reads the last cell's last code (Select.offsetSaturates).
 * The one rule of the segmenter, the design builder and the golden model.
 */
export function cellOffset(size: number, cells: number, saturates: boolean): (u: number) => number {
  if (!saturates) return (u) => u % size;
  const top = size * cells;
  return (u) => (u >= top ? size - 1 : u % size);
}

/**
 * Every stride-th code of a problem (stride = 2^d, the first kept), in the same input and
 * coefficient units: a relaxation (fewer codes to meet) that screens an architecture's
 * segment count and widths in a fraction of the time. Its designs are for ranking only.
 */
export function sampleProblem(problem: FitProblem, codes: number): FitProblem {
  const n = problem.reference.length;
  if (n <= codes || problem.stride !== undefined) return problem;
  const d = Math.ceil(Math.log2((n - 1) / (codes - 1)));
  const stride = 2 ** d;
  const count = Math.floor((n - 1) / stride) + 1;
  const pick = (values: Float64Array): Float64Array => {
    const out = new Float64Array(count);
    for (let i = 0; i < count; i++) out[i] = values[i * stride]!;
    return out;
  };
  return {
    ...problem,
    reference: pick(problem.reference),
    targets: { low: pick(problem.targets.low), high: pick(problem.targets.high) },
    stride,
    ...(problem.offsetBits !== undefined ? { offsetBits: Math.max(0, problem.offsetBits - d) } : {}),
  };
}

/** Problems above this many codes are first tried on a relaxation of this size (see relaxation). */
export const RELAXATION_CODES = 2 ** 10 + 1;

const relaxations = new WeakMap<FitProblem, FitProblem | undefined>();

/**
 * A sample of a large problem that its exact tests can try first (undefined for a problem
 * that is small or already a sample). Every constraint of the sample is one of the
 * problem's (sampleProblem), so a segmentation or a cell that fails on the sample fails
 * on the problem: a format that cannot work is rejected at a fraction of a full pass, and
 * what the tests decide is unchanged. Kept per problem object.
 */
export function relaxation(problem: FitProblem): FitProblem | undefined {
  if (problem.stride !== undefined || problem.reference.length <= 4 * RELAXATION_CODES) return undefined;
  if (!relaxations.has(problem)) relaxations.set(problem, sampleProblem(problem, RELAXATION_CODES));
  return relaxations.get(problem);
}

/** One segment: the codes at indices [start, end] (inclusive) and its stored coefficients. */
export interface Segment {
  readonly start: number;
  readonly end: number;
  readonly slope: number;
  readonly intercept: number;
}

/** How the hardware finds the segment. */
export type Select =
  /** A balanced comparator tree over the breakpoints. */
  | { readonly kind: "tree" }
  /**
   * The top `indexBits` bits of the table code, min((t - first) >> shift, 2^indexBits - 1),
   * address a ROM of 2^indexBits entries (one per cell; a segment spans whole cells). With
   * `offset`, the multiplier sees t's low `shift` bits (its offset in the cell), not t;
   * with `offsetSaturates`, all ones past the last cell (see FitProblem.offsetSaturates).
   */
  | {
      readonly kind: "index";
      readonly indexBits: number;
      readonly shift: number;
      readonly offset: boolean;
      readonly offsetSaturates?: true;
      /** Runs of adjacent cells share their slope (FitProblem.shareSlopes). */
      readonly sharedSlopes?: true;
    };

/** A segmentation method: minimal-count search and segmentation for given coefficient formats. */
export interface SegmentationMethod {
  readonly name: string;
  /** Whether it addresses the ROM by the table code's top bits (local offsets apply only then). */
  readonly indexed: boolean;
  /** The index bits it was given (--index-bits), if any. */
  readonly indexBits?: number;
  /** Segments needed with these formats (Infinity if some code is unreachable); may stop above `limit`. */
  count(problem: FitProblem, formats: DatapathFormats, limit?: number): number;
  segment(problem: FitProblem, formats: DatapathFormats): SegmentationOutcome;
}

export const METHOD_NAMES = ["auto", "optimal", "lsq-greedy", "uniform", "grid"] as const;
export type MethodName = (typeof METHOD_NAMES)[number];

/** The methods that choose their design by estimated cost for --target (auto, optimal). */
export function choosesByCost(method: string): method is "auto" | "optimal" {
  return method === "auto" || method === "optimal";
}

/** The methods whose units may have a comparator tree (uniform and grid address by top bits only). */
export function buildsTrees(method: string): boolean {
  return method !== "uniform" && method !== "grid";
}

export type SegmentationOutcome =
  | { readonly ok: true; readonly segments: readonly Segment[]; readonly select: Select }
  /** No pair in the formats reaches the bound at this code index, even alone. */
  | { readonly ok: false; readonly index: number };
