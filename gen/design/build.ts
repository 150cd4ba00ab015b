import { bitsFor, maxCode, minCode, roundShift, width } from "../fixed/format.js";
import { type DatapathFormats, datapathShape } from "../segment/datapath.js";
import type { Fold } from "../segment/fold.js";
import type { FitProblem, Segment } from "../segment/problem.js";
import type { PwlChannel, Select } from "./ir.js";

/**
 * Turns a segmentation into a channel of the IR: breakpoints as table codes, and the
 * datapath facts the hardware needs, found by running every table code through it once:
 * whether any rounded value leaves the output range (else no clamp logic), and how wide
 * the accumulator must be.
 */
export function buildChannel(
  port: string,
  problem: FitProblem,
  formats: DatapathFormats,
  segments: readonly Segment[],
  fold: Fold,
  select: Select,
): PwlChannel {
  const shape = datapathShape(formats);
  const first = problem.first;
  let accMin = 0;
  let accMax = 0;
  let qMin = 0;
  let qMax = 0;
  const step = 2 ** shape.interceptShift;
  for (const segment of segments) {
    const aligned = segment.intercept * step;
    for (let i = segment.start; i <= segment.end; i++) {
      const acc = segment.slope * (first + i) + aligned;
      const q = roundShift(acc, shape.productShift, shape.shiftRounding);
      accMin = Math.min(accMin, acc);
      accMax = Math.max(accMax, acc);
      qMin = Math.min(qMin, q);
      qMax = Math.max(qMax, q);
    }
  }
  const yMin = minCode(problem.output);
  const yMax = maxCode(problem.output);
  const saturate = problem.overflow === "saturate";
  const s = shape.productShift;
  return {
    kind: "pwl",
    port,
    output: problem.output,
    rounding: problem.rounding,
    overflow: problem.overflow,
    bound: problem.bound,
    fold,
    select,
    first,
    breakpoints: segments.map((segment) => first + segment.start),
    slopes: segments.map((segment) => segment.slope),
    intercepts: segments.map((segment) => segment.intercept),
    slopeFormat: formats.slope,
    interceptFormat: formats.intercept,
    productShift: s,
    interceptShift: shape.interceptShift,
    shiftRounding: shape.shiftRounding,
    saturateLow: saturate && qMin < yMin,
    saturateHigh: saturate && qMax > yMax,
    accumulatorWidth: Math.max(
      bitsFor(accMin, accMax, true),
      s + bitsFor(qMin, qMax, true),
      s + width(problem.output),
    ),
  };
}
