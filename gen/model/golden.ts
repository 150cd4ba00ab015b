import { maxCode, minCode, overflowCode, roundShift } from "../fixed/format.js";
import type { PwlChannel, PwlDesign } from "../design/ir.js";

/**
 * The golden model: what the hardware computes, bit for bit, read from the IR alone.
 * Test vectors, reports and accuracy checks all come from here.
 */
export function evaluate(design: PwlDesign, x: number): number {
  return evaluateChannel(design.y, x);
}

export function evaluateChannel(channel: PwlChannel, x: number): number {
  const segment = segmentOf(channel.breakpoints, x);
  const acc = channel.slopes[segment]! * x + channel.intercepts[segment]! * 2 ** channel.interceptShift;
  let q = roundShift(acc, channel.productShift, channel.shiftRounding);
  const lo = minCode(channel.output);
  const hi = maxCode(channel.output);
  if (channel.saturateLow && q < lo) q = lo;
  if (channel.saturateHigh && q > hi) q = hi;
  // Without clamp logic the hardware keeps the low output bits.
  return overflowCode(q, channel.output, "wrap");
}

/** Index of the segment holding code x: the last breakpoint <= x. */
export function segmentOf(breakpoints: readonly number[], x: number): number {
  let lo = 0;
  let hi = breakpoints.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (breakpoints[mid]! <= x) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
