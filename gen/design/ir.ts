import { type FixFormat, type Overflow, type Rounding, width } from "../fixed/format.js";
import type { ShiftRounding } from "../segment/datapath.js";
import type { Fold } from "../segment/fold.js";

/**
 * PwlDesign: the frozen hardware IR. It holds everything the hardware does, as integers
 * and formats, and nothing else. The golden model (model/golden.ts) and the Verilog view
 * model (rtl/view.ts) both read it; neither recomputes what the other derives.
 */
export interface PwlDesign {
  /** Module name, also the file name of the RTL. */
  readonly module: string;
  /** Name of the approximated function (functions/registry.ts), or the --expr text. */
  readonly function: string;
  readonly input: FixFormat;
  /** Register stages from x to y; 0 = combinational. */
  readonly pipeline: number;
  readonly specHash: string;
  readonly toolVersion: string;
  /** The table that drives port y. */
  readonly y: PwlChannel;
  /** Port dy: a PWL table of its own, or the active y segment's slope. */
  readonly dy?: PwlChannel | SlopeTap;
}

/** How the hardware finds the segment. */
export type Select =
  /** A balanced comparator tree over the breakpoints. */
  | { readonly kind: "tree" }
  /** min((t - first) >> shift, 2^indexBits - 1): the top bits of the table input, no comparators. */
  | { readonly kind: "uniform"; readonly indexBits: number; readonly shift: number };

/**
 * One PWL table and its datapath. The table input is t = x, or t = |x| for a folded table
 * (then negative inputs unfold the result, see segment/fold.ts). Segment s covers table
 * codes [breakpoints[s], breakpoints[s+1] - 1] and computes
 *
 *     acc = slopes[s] * t + intercepts[s] * 2^interceptShift      (accumulatorWidth bits)
 *     q   = acc >> productShift, rounded per shiftRounding
 *     y   = q clamped where saturateLow / saturateHigh say, else its low output bits
 */
export interface PwlChannel {
  readonly kind: "pwl";
  readonly port: string;
  readonly output: FixFormat;
  /** The rounding the user asked for; half-up is realised by folding 2^(s-1) into the intercepts. */
  readonly rounding: Rounding;
  readonly overflow: Overflow;
  /** The guaranteed maximum absolute error, in real units. */
  readonly bound: number;
  readonly fold: Fold;
  readonly select: Select;
  /** The first table code: the smallest input code, or 0 for a folded table. */
  readonly first: number;
  /** Table codes where segments start; the first is `first`. */
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

/**
 * dy as the active y segment's slope (the paper's "PWL of f, slope as f'"): one more ROM
 * column, read with y's segment index. values[s] is segment s's slope in the dy format.
 */
export interface SlopeTap {
  readonly kind: "slope";
  readonly port: string;
  readonly output: FixFormat;
  readonly rounding: Rounding;
  readonly values: readonly number[];
  /** How dy unfolds for negative x (the derivative of y's fold). */
  readonly fold: Fold;
}

export function segmentCount(channel: PwlChannel): number {
  return channel.breakpoints.length;
}

/** Whether a channel reads t = |x| rather than x. */
export function isFolded(channel: { readonly fold: Fold }): boolean {
  return channel.fold.kind !== "none";
}

/** Signedness and width of a channel's table input t: |x| of a w-bit x needs w unsigned bits. */
export function tableInput(input: FixFormat, channel: PwlChannel): { signed: boolean; width: number } {
  return { signed: input.signed && !isFolded(channel), width: width(input) };
}

/** What a channel costs in hardware, read off the IR (the same for every report). */
export interface HardwareSummary {
  readonly segments: number;
  readonly comparators: number;
  readonly treeDepth: number;
  readonly romBits: number;
  /** Multiplier operand widths (table input x slope). */
  readonly multiplier: readonly [number, number];
  readonly accumulatorWidth: number;
}

export function hardwareSummary(input: FixFormat, channel: PwlChannel, extraRomBits = 0): HardwareSummary {
  const n = segmentCount(channel);
  const tree = channel.select.kind === "tree";
  return {
    segments: n,
    comparators: tree ? n - 1 : 0,
    treeDepth: tree && n > 1 ? Math.ceil(Math.log2(n)) : 0,
    romBits: n * (width(channel.slopeFormat) + width(channel.interceptFormat)) + extraRomBits,
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
