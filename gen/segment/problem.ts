import { type FixFormat, type Overflow, type Rounding, minCode, width } from "../fixed/format.js";
import type { Targets } from "./targets.js";

/**
 * What a segmentation method is asked to solve: approximate `reference` (f at every input
 * code, index i standing for code minCode(input) + i) so that the hardware's output code
 * lies within `targets` at every code.
 */
export interface FitProblem {
  readonly input: FixFormat;
  readonly output: FixFormat;
  readonly rounding: Rounding;
  readonly overflow: Overflow;
  readonly bound: number;
  readonly reference: Float64Array;
  readonly targets: Targets;
}

/** One segment: the input codes [start, end] (inclusive) and its stored coefficients. */
export interface Segment {
  readonly start: number;
  readonly end: number;
  readonly slope: number;
  readonly intercept: number;
}

export function codeCount(input: FixFormat): number {
  return 2 ** width(input);
}

/** The input code at index i of a problem's arrays. */
export function codeAt(problem: FitProblem, index: number): number {
  return minCode(problem.input) + index;
}
