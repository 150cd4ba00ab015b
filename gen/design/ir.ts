import { type FixFormat, type Overflow, type Rounding, width } from "../fixed/format.js";
import type { ShiftRounding } from "../segment/datapath.js";
import type { SlopeDigit } from "../segment/digits.js";
import type { Fold } from "../segment/fold.js";
import type { Select } from "../segment/problem.js";
import { counted } from "../text.js";

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
  /**
   * How the RTL writes a fold's arithmetic for negative x. `mux`: |x| as x_neg ? -x : x, the
   * unfolding u = base - y as x_neg ? base - y : y, a ramp fold's y + c * x with c * x gated
   * by the sign. `carry` (for carry-chain fabrics): |x| as (x - x_neg) ^ {x_neg} and u as
   * (y - (x_neg ? base + 1 : 0)) ^ {x_neg}, a subtraction on one carry chain and an XOR each,
   * and the ramp as x_neg ? y + c * x : y. The same values either way; the target chooses
   * the form its synthesis maps cheaper (gen/synth/targets.ts).
   */
  readonly foldForm: FoldForm;
  /**
   * Whether the RTL may spell a small comparator tree as a word tree, its nodes selecting
   * the segments' ROM words rather than a segment index that a ROM case statement reads,
   * where that takes no more multiplexers (gen/rtl/rom.ts usesWordTree). The same values
   * either way; the target says whether its synthesis maps it cheaper (gen/synth/targets.ts).
   */
  readonly treeWords?: true;
  /** The table that drives port y. */
  readonly y: PwlChannel;
  /** Port dy: a PWL table of its own, or the active y segment's slope. */
  readonly dy?: PwlChannel | SlopeTap;
}

export type { Select };

/** The two ways the RTL can write a fold's arithmetic (PwlDesign.foldForm). */
export const FOLD_FORMS = ["mux", "carry"] as const;
export type FoldForm = (typeof FOLD_FORMS)[number];

/**
 * One PWL table and its datapath. The table code is t = u >> inputShift, where u is x, or
 * a magnitude of x for a folded table (|x|, or x ^ sign for a one's complement fold; then
 * negative inputs unfold the result, see segment/fold.ts). Segment s covers table codes
 * [breakpoints[s], breakpoints[s+1] - 1]; the multiplier's operand o is t, or t's offset in
 * its cell for an index select with offsets (for a two's complement fold's magnitude 2^b,
 * past the last cell: 0, or the last cell's last code with select.offsetSaturates); and
 *
 *     acc = slopes[s] * o + intercepts[s] * 2^interceptShift      (accumulatorWidth bits)
 *     q   = acc >> productShift, rounded per shiftRounding  (a code of the output's grid
 *           of 2^outputShift ulps)
 *     q   clamped where saturateLow / saturateHigh say (to the grid's range)
 *     y   = q * 2^outputShift, in the output format (its low outputShift bits are zero)
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
  /** Low bits of the (folded) input the table does not read. */
  readonly inputShift: number;
  /** Low output bits that are always zero before unfolding (the table's grid is 2^outputShift ulps). */
  readonly outputShift: number;
  readonly select: Select;
  /** The first table code: the smallest input code (shifted), or 0 for a folded table. */
  readonly first: number;
  /** Table codes where segments start; the first is `first`. */
  readonly breakpoints: readonly number[];
  readonly slopes: readonly number[];
  /** Stored intercepts, with any rounding constant folded in. */
  readonly intercepts: readonly number[];
  readonly slopeFormat: FixFormat;
  readonly interceptFormat: FixFormat;
  /**
   * Multiplier-less slopes (--slope-digits): slope[s] * o is computed as the sum of
   * +-(o << shift) over terms[s], at most `digits` of them (the slope's non-adjacent form,
   * highest first); the ROM stores the digits instead of the slope. Absent: a multiplier.
   */
  readonly shiftAdd?: ShiftAdd;
  readonly productShift: number;
  readonly interceptShift: number;
  readonly shiftRounding: ShiftRounding;
  /** Clamp logic exists only where some input code needs it. */
  readonly saturateLow: boolean;
  readonly saturateHigh: boolean;
  /** The smallest and largest y the table gives (before unfolding), over every table code. */
  readonly tableRange: readonly [number, number];
  /** Signed width that holds every accumulator value, every rounded value, and the output. */
  readonly accumulatorWidth: number;
}

export interface ShiftAdd {
  readonly digits: number;
  readonly terms: readonly (readonly SlopeDigit[])[];
}

/** Bits of a shift-add digit's shift field: enough for the largest shift of any slope. */
export function shiftFieldBits(shiftAdd: ShiftAdd): number {
  let largest = 0;
  for (const terms of shiftAdd.terms) for (const t of terms) largest = Math.max(largest, t.shift);
  return Math.max(1, Math.ceil(Math.log2(largest + 1)));
}

/** Bits of a ROM entry's slope field: the slope, or per digit an enable, a sign and a shift. */
export function slopeFieldBits(channel: PwlChannel): number {
  const shiftAdd = channel.shiftAdd;
  return shiftAdd ? shiftAdd.digits * (2 + shiftFieldBits(shiftAdd)) : width(channel.slopeFormat);
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

/** Signedness and width of a channel's table code t (see PwlChannel). */
export function tableInput(input: FixFormat, channel: PwlChannel): { signed: boolean; width: number } {
  const w = width(input) - channel.inputShift;
  if (!isFolded(channel)) return { signed: input.signed, width: w };
  // |x| of a w-bit x needs w unsigned bits (2^(w-1) included); x ^ sign needs w - 1.
  return { signed: false, width: channel.fold.style === "ones" ? w - 1 : w };
}

/** Signedness and width of the multiplier's operand: the table code, or its offset in its cell. */
export function multiplierOperand(input: FixFormat, channel: PwlChannel): { signed: boolean; width: number } {
  const select = channel.select;
  if (select.kind === "index" && select.offset) return { signed: false, width: Math.max(1, select.shift) };
  return tableInput(input, channel);
}

/**
 * Width of the signed product slope * o as both HDL views declare it: the operand and the
 * slope, an unsigned one with a zero sign bit. Every product fits it (shift-add terms sum
 * to the product modulo 2^width).
 */
export function productWidth(input: FixFormat, channel: PwlChannel): number {
  const operand = multiplierOperand(input, channel);
  const slope = channel.slopeFormat;
  return operand.width + (operand.signed ? 0 : 1) + width(slope) + (slope.signed ? 0 : 1);
}

/** Entries of the channel's coefficient ROM: one per segment, or one per cell of an index select. */
export function romEntries(channel: PwlChannel): number {
  return channel.select.kind === "index" ? 2 ** channel.select.indexBits : segmentCount(channel);
}

/** What a channel costs in hardware, read off the IR (the same for every report). */
export interface HardwareSummary {
  readonly segments: number;
  readonly romEntries: number;
  readonly comparators: number;
  readonly treeDepth: number;
  readonly romBits: number;
  /** Multiplier operand widths (table input x slope); with shift-add slopes, the product's operands. */
  readonly multiplier: readonly [number, number];
  /** Shift-add slopes: digits per slope, and the bits of a ROM entry's slope field and of each shift. */
  readonly shiftAdd?: {
    readonly digits: number;
    readonly slopeFieldBits: number;
    readonly shiftBits: number;
  };
  readonly accumulatorWidth: number;
}

export function hardwareSummary(input: FixFormat, channel: PwlChannel, extraRomBits = 0): HardwareSummary {
  const n = segmentCount(channel);
  const tree = channel.select.kind === "tree";
  const entries = romEntries(channel);
  return {
    segments: n,
    romEntries: entries,
    comparators: tree ? n - 1 : 0,
    treeDepth: tree && n > 1 ? Math.ceil(Math.log2(n)) : 0,
    romBits: entries * (slopeFieldBits(channel) + width(channel.interceptFormat)) + extraRomBits,
    multiplier: [multiplierOperand(input, channel).width, width(channel.slopeFormat)],
    ...(channel.shiftAdd
      ? {
          shiftAdd: {
            digits: channel.shiftAdd.digits,
            slopeFieldBits: slopeFieldBits(channel),
            shiftBits: shiftFieldBits(channel.shiftAdd),
          },
        }
      : {}),
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

/** Index of the segment holding table code t: the last breakpoint <= t (the comparator tree's answer). */
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

/**
 * The channel's architecture in words, for reports and file headers: its segment select,
 * fold, and the input and output bits it leaves out, e.g. "comparator tree, folded point"
 * or "grid of 64 cells, folded odd (one's complement), input >> 2, local offsets".
 */
export function architectureText(channel: PwlChannel): string {
  const select = channel.select;
  const n = segmentCount(channel);
  const parts: string[] = [];
  if (select.kind === "tree") parts.push("comparator tree");
  else if (2 ** select.indexBits === n || select.offset) parts.push("uniform");
  else parts.push(`grid of ${2 ** select.indexBits} cells`);
  if (isFolded(channel)) {
    parts.push(`folded ${channel.fold.kind}${channel.fold.style === "ones" ? " (one's complement)" : ""}`);
  }
  if (channel.inputShift > 0) parts.push(`input >> ${channel.inputShift}`);
  if (channel.outputShift > 0) parts.push(`output grid 2^${channel.outputShift} ulps`);
  if (select.kind === "index" && select.offset) parts.push("local offsets");
  if (select.kind === "index" && select.sharedSlopes) parts.push("shared slopes");
  if (channel.shiftAdd) parts.push(`shift-add slopes (${counted(channel.shiftAdd.digits, "digit")})`);
  return parts.join(", ");
}
