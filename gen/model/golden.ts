import { maxCode, minCode, overflowCode, roundShift } from "../fixed/format.js";
import type { PwlChannel, PwlDesign, SlopeTap } from "../design/ir.js";
import { unfold } from "../segment/fold.js";

/**
 * The golden model: what the hardware computes, bit for bit, read from the IR alone.
 * Test vectors, reports and accuracy checks all come from here.
 */
export function evaluate(design: PwlDesign, x: number): number {
  return evaluateChannel(design.y, x);
}

/** Port dy for input code x; throws if the design has no dy. */
export function evaluateDerivative(design: PwlDesign, x: number): number {
  const dy = design.dy;
  if (!dy) throw new Error("this design has no dy output");
  return dy.kind === "pwl" ? evaluateChannel(dy, x) : evaluateTap(design.y, dy, x);
}

export function evaluateChannel(channel: PwlChannel, x: number): number {
  return channelFunction(channel)(x);
}

/** A channel's golden model as a function of the input code (for loops over every code). */
export function channelFunction(channel: PwlChannel): (x: number) => number {
  let evaluator = evaluators.get(channel);
  if (!evaluator) {
    evaluator = channelEvaluator(channel);
    evaluators.set(channel, evaluator);
  }
  return evaluator;
}

const evaluators = new WeakMap<PwlChannel, (x: number) => number>();

/**
 * A channel's datapath as a function of the input code, with the IR's constants read once:
 *
 *     t = x, or |x| for a folded table;  s = the segment t selects
 *     acc = slopes[s] * t + intercepts[s] * 2^k;  q = acc / 2^shift, rounded as the IR says
 *     clamp where the IR has clamp logic; keep the low output bits; unfold for negative x
 */
function channelEvaluator(channel: PwlChannel): (x: number) => number {
  const folded = channel.fold.kind !== "none";
  const step = 2 ** channel.interceptShift;
  const s = channel.productShift;
  const rounding = channel.shiftRounding;
  const lo = minCode(channel.output);
  const hi = maxCode(channel.output);
  const { saturateLow, saturateHigh, slopes, intercepts, output, fold } = channel;
  return (x) => {
    const t = folded ? Math.abs(x) : x;
    const segment = segmentIndex(channel, t);
    const acc = slopes[segment]! * t + intercepts[segment]! * step;
    let q = roundShift(acc, s, rounding);
    if (saturateLow && q < lo) q = lo;
    if (saturateHigh && q > hi) q = hi;
    // The hardware keeps the low output bits (without clamp logic, and after unfolding).
    const y = q >= lo && q <= hi ? q : overflowCode(q, output, "wrap");
    if (!folded || x >= 0) return y;
    const u = unfold(fold, y);
    return u >= lo && u <= hi ? u : overflowCode(u, output, "wrap");
  };
}

function evaluateTap(y: PwlChannel, tap: SlopeTap, x: number): number {
  const t = y.fold.kind === "none" ? x : Math.abs(x);
  const value = tap.values[segmentIndex(y, t)]!;
  const negative = tap.fold.kind !== "none" && x < 0;
  return negative ? overflowCode(unfold(tap.fold, value), tap.output, "wrap") : value;
}

/** The segment a table code t selects, the way the hardware selects it. */
export function segmentIndex(channel: PwlChannel, t: number): number {
  if (channel.select.kind === "uniform") {
    const { indexBits, shift } = channel.select;
    return Math.min(Math.floor((t - channel.first) / 2 ** shift), 2 ** indexBits - 1);
  }
  return segmentOf(channel.breakpoints, t);
}

/** Index of the segment holding code t: the last breakpoint <= t (the comparator tree's answer). */
export function segmentOf(breakpoints: readonly number[], t: number): number {
  let lo = 0;
  let hi = breakpoints.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (breakpoints[mid]! <= t) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
