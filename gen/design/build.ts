import { type FixFormat, bitsFor, maxCode, minCode, roundShift, width } from "../fixed/format.js";
import { type DatapathFormats, datapathShape } from "../segment/datapath.js";
import type { Fold } from "../segment/fold.js";
import { type FitProblem, type Segment, type Select, cellOffset } from "../segment/problem.js";
import { digitsValue, slopeDigits } from "../segment/digits.js";
import type { PwlChannel } from "./ir.js";

/** What a channel's hardware is besides its segments and formats. */
export interface ChannelShape {
  readonly fold: Fold;
  readonly select: Select;
  readonly inputShift: number;
  readonly outputShift: number;
  /** The output format (the problem's is the table's coarse grid of it). */
  readonly output: FixFormat;
}

/**
 * Turns a segmentation into a channel of the IR: breakpoints as table codes, and the
 * datapath facts the hardware needs, found by running every table code through it once:
 * whether any rounded value leaves the output range (else no clamp logic), the range of
 * the table's results, and how wide the accumulator must be.
 */
export function buildChannel(
  port: string,
  problem: FitProblem,
  formats: DatapathFormats,
  segments: readonly Segment[],
  shape: ChannelShape,
): PwlChannel {
  const datapath = datapathShape(formats);
  const first = problem.first;
  // A sampled problem's index i is code first + i * stride (screening only).
  const stride = problem.stride ?? 1;
  // The multiplier's operand as the hardware computes it: the code, or its offset in its cell.
  const select = shape.select;
  const offset =
    select.kind === "index" && select.offset
      ? cellOffset(2 ** select.shift, 2 ** select.indexBits, select.offsetSaturates === true)
      : undefined;
  const operand =
    offset === undefined
      ? (i: number): number => first + i * stride
      : (i: number): number => offset(i * stride);
  let accMin = 0;
  let accMax = 0;
  let qMin = Infinity;
  let qMax = -Infinity;
  const step = 2 ** datapath.interceptShift;
  for (const segment of segments) {
    const aligned = segment.intercept * step;
    for (let i = segment.start; i <= segment.end; i++) {
      const acc = segment.slope * operand(i) + aligned;
      const q = roundShift(acc, datapath.productShift, datapath.shiftRounding);
      accMin = Math.min(accMin, acc);
      accMax = Math.max(accMax, acc);
      qMin = Math.min(qMin, q);
      qMax = Math.max(qMax, q);
    }
  }
  // The table's grid: codes of 2^outputShift output ulps.
  const grid = problem.output;
  const gMin = minCode(grid);
  const gMax = maxCode(grid);
  const saturate = problem.overflow === "saturate";
  const saturateLow = saturate && qMin < gMin;
  const saturateHigh = saturate && qMax > gMax;
  const s = datapath.productShift;
  const scale = 2 ** shape.outputShift;
  return {
    kind: "pwl",
    port,
    output: shape.output,
    rounding: problem.rounding,
    overflow: problem.overflow,
    bound: problem.bound,
    fold: shape.fold,
    inputShift: shape.inputShift,
    outputShift: shape.outputShift,
    select: shape.select,
    first,
    breakpoints: segments.map((segment) => first + segment.start * stride),
    slopes: segments.map((segment) => segment.slope),
    intercepts: segments.map((segment) => segment.intercept),
    slopeFormat: formats.slope,
    interceptFormat: formats.intercept,
    ...(formats.slopeDigits !== undefined ? { shiftAdd: shiftAddOf(segments, formats.slopeDigits) } : {}),
    productShift: s,
    interceptShift: datapath.interceptShift,
    shiftRounding: datapath.shiftRounding,
    saturateLow,
    saturateHigh,
    tableRange: [
      (saturateLow ? gMin : Math.max(qMin, gMin)) * scale,
      (saturateHigh ? gMax : Math.min(qMax, gMax)) * scale,
    ],
    accumulatorWidth: Math.max(
      bitsFor(accMin, accMax, true),
      s + bitsFor(Math.min(qMin, 0), Math.max(qMax, 0), true),
      s + width(grid),
    ),
  };
}

/** Each segment's slope as its digits (the segmenter searched only slopes that have at most D). */
function shiftAddOf(segments: readonly Segment[], digits: number): PwlChannel["shiftAdd"] & object {
  const terms = segments.map((segment) => {
    const t = slopeDigits(segment.slope);
    if (t.length > digits || digitsValue(t) !== segment.slope)
      throw new Error(`internal: slope ${segment.slope} has more than ${digits} digits`);
    return t;
  });
  return { digits, terms };
}
