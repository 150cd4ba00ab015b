import { type FixFormat, type Overflow, type Rounding, width } from "../fixed/format.js";
import type { ShiftRounding } from "../segment/datapath.js";

/**
 * PwlDesign: the frozen hardware IR. It holds everything the hardware does, as integers
 * and formats, and nothing else. The golden model (model/golden.ts) and the Verilog view
 * model (rtl/view.ts) both read it; neither recomputes what the other derives.
 */
export interface PwlDesign {
  /** Module name, also the file name of the RTL. */
  readonly module: string;
  /** Name of the approximated function (functions/registry.ts). */
  readonly function: string;
  readonly input: FixFormat;
  /** Register stages from x to y; 0 = combinational. */
  readonly pipeline: number;
  readonly specHash: string;
  readonly toolVersion: string;
  /** The table that drives port y. */
  readonly y: PwlChannel;
}

/**
 * One PWL table and its datapath: segment s covers input codes
 * [breakpoints[s], breakpoints[s+1] - 1] and computes
 *
 *     acc = slopes[s] * x + intercepts[s] * 2^interceptShift      (accumulatorWidth bits)
 *     q   = acc >> productShift, rounded per shiftRounding
 *     y   = q clamped where saturateLow / saturateHigh say, else its low output bits
 */
export interface PwlChannel {
  readonly port: string;
  readonly output: FixFormat;
  /** The rounding the user asked for; half-up is realised by folding 2^(s-1) into the intercepts. */
  readonly rounding: Rounding;
  readonly overflow: Overflow;
  /** The guaranteed maximum absolute error, in real units. */
  readonly bound: number;
  /** Input codes where segments start; the first is the smallest input code. */
  readonly breakpoints: readonly number[];
  readonly slopes: readonly number[];
  /** Stored intercepts, with any rounding constant folded in. */
  readonly intercepts: readonly number[];
  readonly slopeFormat: FixFormat;
  readonly interceptFormat: FixFormat;
  readonly productShift: number;
  readonly interceptShift: number;
  readonly shiftRounding: ShiftRounding;
  /** Clamp logic exists only where some input code needs it. */
  readonly saturateLow: boolean;
  readonly saturateHigh: boolean;
  /** Signed width that holds every accumulator value, every rounded value, and the output. */
  readonly accumulatorWidth: number;
}

export function segmentCount(channel: PwlChannel): number {
  return channel.breakpoints.length;
}

/** What a channel costs in hardware, read off the IR (the same for every report). */
export interface HardwareSummary {
  readonly segments: number;
  readonly comparators: number;
  readonly treeDepth: number;
  readonly romBits: number;
  /** Multiplier operand widths (input x slope), before signedness adjustment. */
  readonly multiplier: readonly [number, number];
  readonly accumulatorWidth: number;
}

export function hardwareSummary(input: FixFormat, channel: PwlChannel): HardwareSummary {
  const n = segmentCount(channel);
  return {
    segments: n,
    comparators: n - 1,
    treeDepth: n > 1 ? Math.ceil(Math.log2(n)) : 0,
    romBits: n * (width(channel.slopeFormat) + width(channel.interceptFormat)),
    multiplier: [width(input), width(channel.slopeFormat)],
    accumulatorWidth: channel.accumulatorWidth,
  };
}

/** Deep-freezes a design so nothing downstream can change it. */
export function freeze<T>(value: T): T {
  if (value !== null && typeof value === "object" && !Object.isFrozen(value)) {
    for (const inner of Object.values(value)) freeze(inner);
    Object.freeze(value);
  }
  return value;
}
