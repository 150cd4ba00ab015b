import { type FixFormat, maxCode, minCode, width } from "../fixed/format.js";
import {
  type PwlChannel,
  type PwlDesign,
  type SlopeTap,
  multiplierOperand,
  romEntries,
  segmentOf,
} from "../design/ir.js";
import { rampShift, unfoldBase } from "../segment/fold.js";
import { UserError } from "../spec/errors.js";

/**
 * The golden model's steps for one channel (model/golden.ts, channelEvaluator), as the
 * constants the C and NumPy models print. Read from the IR alone, like the golden model:
 *
 *     u = x, or x folded for x < 0 (-x for a two's complement fold, -x - 1 for one's)
 *     t = floor(u / 2^inputShift)                                 the table code
 *     e = the ROM entry: the segment (last breakpoint <= t), or the cell
 *         min(floor((t - first) / 2^shift), cells - 1) of an index select
 *     o = t, or (t - first) mod 2^shift with local offsets       the multiplier's operand
 *         (min(t - first - e * 2^shift, 2^shift - 1) when the offset of a two's
 *         complement fold's 2^b, past the last cell, saturates at the cell's last code)
 *     acc = slope[e] * o + intercept[e] * 2^k
 *     q = floor(acc / 2^s), rounded half to even when the IR says so
 *     q clamped to [gridMin, gridMax] where the IR has clamp logic
 *     y = (q mod 2^(w - d)) * 2^d read as a w-bit code (the hardware keeps the low bits)
 *     y = base - y for x < 0 with an odd or point fold, y + c * x with a ramp fold,
 *         wrapped to w bits
 *
 * The ROM has an entry per segment (tree) or per cell (index select, holding the words of
 * the segment the cell's first code is in), as the hardware's ROM does; a slope tap (dy =
 * the active segment's slope) is one more column of y's ROM.
 */
export interface ChannelPlan {
  readonly port: string;
  /** How a negative x folds: -x (twos), -x - 1 (ones), or not at all. */
  readonly fold: "none" | "twos" | "ones";
  readonly inputShift: number;
  readonly select:
    | { readonly kind: "tree"; readonly breakpoints: readonly number[] }
    | { readonly kind: "index"; readonly first: number; readonly cellShift: number; readonly cells: number };
  /** The multiplier reads t's offset in its cell (see offsetExpression). */
  readonly offset: CellOffset | undefined;
  readonly rom: RomColumns;
  readonly interceptShift: number;
  readonly productShift: number;
  readonly halfEven: boolean;
  readonly saturateLow: boolean;
  readonly saturateHigh: boolean;
  /** The clamp limits, in codes of the output grid (2^outputShift ulps). */
  readonly gridMin: number;
  readonly gridMax: number;
  readonly outputShift: number;
  readonly output: CodeRange;
  /** u = base - y for negative x (odd and point folds), else undefined. */
  readonly unfoldBase: number | undefined;
  /** u = y + ramp * x for negative x (a ramp fold whose term is not 0 modulo 2^w), else undefined. */
  readonly ramp: number | undefined;
}

/** Local offsets: o = (t - first) mod 2^cellShift, or 2^cellShift - 1 past the last cell when it saturates. */
export interface CellOffset {
  readonly first: number;
  readonly cellShift: number;
  /** Whether the offset of a code past the last cell (a two's complement fold's 2^b) saturates. */
  readonly saturates: boolean;
}

/**
 * The operand o of local offsets as a C or Python expression in t and the entry e:
 * (t - first) % size, or min(t - first - e * size, size - 1) when the offset of the code
 * past the last cell saturates (its e is the last cell's, so t - first - e * size is size).
 */
export function offsetExpression(
  offset: CellOffset,
  syntax: {
    /** The entry e as a 64-bit integer. */
    readonly entry: string;
    readonly min: (a: string, b: string) => string;
    readonly minus: (expr: string, value: number) => string;
    readonly literal: (value: number) => string;
  },
): string {
  const size = 2 ** offset.cellShift;
  const from = offset.first === 0 ? "t" : `(${syntax.minus("t", offset.first)})`;
  if (!offset.saturates) return `${from} % ${syntax.literal(size)}`;
  return syntax.min(`${from} - ${syntax.entry} * ${syntax.literal(size)}`, syntax.literal(size - 1));
}

/** A slope tap: dy = the tap column of y's ROM entry, unfolded for negative x. */
export interface TapPlan {
  readonly port: string;
  readonly output: CodeRange;
  readonly unfoldBase: number | undefined;
}

export interface RomColumns {
  readonly slope: readonly number[];
  readonly intercept: readonly number[];
  /** dy of a slope tap, per entry of y's ROM. */
  readonly tap?: readonly number[];
  readonly slopeFormat: FixFormat;
  readonly interceptFormat: FixFormat;
}

export interface CodeRange {
  readonly format: FixFormat;
  readonly signed: boolean;
  readonly width: number;
  readonly min: number;
  readonly max: number;
}

export interface DesignPlan {
  readonly input: CodeRange;
  readonly y: ChannelPlan;
  readonly dy?: ChannelPlan | TapPlan;
}

export function codeRange(format: FixFormat): CodeRange {
  return { format, signed: format.signed, width: width(format), min: minCode(format), max: maxCode(format) };
}

/**
 * The models compute in 64-bit integers. Every width pwlgen builds keeps the accumulator
 * below 2^52, so this only refuses an IR that was not built by pwlgen's own limits; it
 * names the channel and the width rather than emit arithmetic that would overflow.
 */
const MODEL_BITS = 62;

export function designPlan(design: PwlDesign, model: string): DesignPlan {
  const y = channelPlan(design, design.y, design.dy?.kind === "slope" ? design.dy : undefined, model);
  const dy = design.dy;
  return {
    input: codeRange(design.input),
    y,
    ...(dy ? { dy: dy.kind === "pwl" ? channelPlan(design, dy, undefined, model) : tapPlan(dy) } : {}),
  };
}

function tapPlan(tap: SlopeTap): TapPlan {
  return { port: tap.port, output: codeRange(tap.output), unfoldBase: unfoldBase(tap.fold) };
}

function channelPlan(
  design: PwlDesign,
  channel: PwlChannel,
  tap: SlopeTap | undefined,
  model: string,
): ChannelPlan {
  refuseWide(design, channel, model);
  const select = channel.select;
  const entries = romEntries(channel);
  // The segment each ROM entry holds: itself, or the segment of the cell's first code.
  const segmentOfEntry = (entry: number): number =>
    select.kind === "index"
      ? segmentOf(channel.breakpoints, channel.first + entry * 2 ** select.shift)
      : entry;
  const segments = Array.from({ length: entries }, (_, entry) => segmentOfEntry(entry));
  const output = codeRange(channel.output);
  const grid = 2 ** channel.outputShift;
  return {
    port: channel.port,
    fold: channel.fold.kind === "none" ? "none" : channel.fold.style,
    inputShift: channel.inputShift,
    select:
      select.kind === "tree"
        ? { kind: "tree", breakpoints: channel.breakpoints }
        : { kind: "index", first: channel.first, cellShift: select.shift, cells: entries },
    offset:
      select.kind === "index" && select.offset
        ? {
            first: channel.first,
            cellShift: select.shift,
            saturates: select.offsetSaturates === true,
          }
        : undefined,
    rom: {
      slope: segments.map((s) => channel.slopes[s]!),
      intercept: segments.map((s) => channel.intercepts[s]!),
      ...(tap ? { tap: segments.map((s) => tap.values[s]!) } : {}),
      slopeFormat: channel.slopeFormat,
      interceptFormat: channel.interceptFormat,
    },
    interceptShift: channel.interceptShift,
    productShift: channel.productShift,
    halfEven: channel.shiftRounding === "half-even",
    saturateLow: channel.saturateLow,
    saturateHigh: channel.saturateHigh,
    gridMin: Math.ceil(output.min / grid),
    gridMax: Math.floor(output.max / grid),
    outputShift: channel.outputShift,
    output,
    unfoldBase: unfoldBase(channel.fold),
    ramp: rampShift(channel.fold, width(channel.output)) === undefined ? undefined : channel.fold.constant,
  };
}

/** Magnitude bits (sign excluded) of a value of the format. */
function magnitudeBits(format: { signed: boolean; width: number }): number {
  return format.signed ? format.width - 1 : format.width;
}

function refuseWide(design: PwlDesign, channel: PwlChannel, model: string): void {
  const operand = magnitudeBits(multiplierOperand(design.input, channel));
  const slope = magnitudeBits({ signed: channel.slopeFormat.signed, width: width(channel.slopeFormat) });
  const intercept =
    magnitudeBits({ signed: channel.interceptFormat.signed, width: width(channel.interceptFormat) }) +
    channel.interceptShift;
  // acc = product + aligned intercept: each term below 2^bits, so the sum below 2^(bits + 1).
  const bits = Math.max(operand + slope, intercept, channel.accumulatorWidth - 1) + 1;
  if (bits > MODEL_BITS) {
    throw new UserError(
      `${model} model`,
      design.module,
      `cannot be generated: ${channel.port}'s accumulator needs ${bits + 1} bits with its sign, and the model computes in 64-bit integers (at most ${MODEL_BITS + 1})`,
    );
  }
}
