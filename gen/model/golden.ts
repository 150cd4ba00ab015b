import { maxCode, minCode, overflowCode, roundShift } from "../fixed/format.js";
import { type PwlChannel, type PwlDesign, type SlopeTap, segmentOf } from "../design/ir.js";
import { tableCodeOf, unfold } from "../segment/fold.js";
import type { SlopeDigit } from "../segment/digits.js";
import { cellOffset } from "../segment/problem.js";

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
 *     t = the table code (x folded, low input bits dropped);  s = the segment t selects
 *     o = t, or t's offset in its cell (see operandFunction);  acc = slopes[s] * o +
 *         intercepts[s] * 2^k (the product as shift-add terms when the slopes are digits)
 *     q = acc / 2^shift, rounded as the IR says; clamp where the IR has clamp logic
 *     y = q * 2^outputShift in the output's low bits; unfold for negative x (-y, C - y,
 *         or y + c * x for a ramp fold), wrapped to the output's width
 */
function channelEvaluator(channel: PwlChannel): (x: number) => number {
  const step = 2 ** channel.interceptShift;
  const s = channel.productShift;
  const rounding = channel.shiftRounding;
  const grid = 2 ** channel.outputShift;
  const lo = Math.ceil(minCode(channel.output) / grid);
  const hi = Math.floor(maxCode(channel.output) / grid);
  const { saturateLow, saturateHigh, slopes, intercepts, output, fold } = channel;
  const code = tableCodeFunction(channel);
  const segmentOfCode = segmentFunction(channel);
  const operand = operandFunction(channel);
  const terms = channel.shiftAdd?.terms;
  const yMin = minCode(output);
  const yMax = maxCode(output);
  return (x) => {
    const t = code(x);
    const segment = segmentOfCode(t);
    const o = operand(t);
    const product = terms ? shiftAdd(terms[segment]!, o) : slopes[segment]! * o;
    const acc = product + intercepts[segment]! * step;
    let q = roundShift(acc, s, rounding);
    if (saturateLow && q < lo) q = lo;
    if (saturateHigh && q > hi) q = hi;
    // The hardware keeps the low output bits (without clamp logic, and after unfolding).
    const wide = q * grid;
    const y = wide >= yMin && wide <= yMax ? wide : overflowCode(wide, output, "wrap");
    if (fold.kind === "none" || x >= 0) return y;
    const u = unfold(fold, y, x);
    return u >= yMin && u <= yMax ? u : overflowCode(u, output, "wrap");
  };
}

/** slope * o as shift-add hardware computes it: the sum of +-(o << shift) over the slope's digits. */
function shiftAdd(terms: readonly SlopeDigit[], o: number): number {
  let sum = 0;
  for (const t of terms) sum += (t.negative ? -o : o) * 2 ** t.shift;
  return sum;
}

/** The table code the hardware computes for input code x: x folded, low bits dropped. */
export function tableCodeFunction(channel: PwlChannel): (x: number) => number {
  const mapping = { fold: channel.fold, shift: channel.inputShift };
  return (x) => tableCodeOf(mapping, x);
}

/**
 * The multiplier's operand for table code t: t itself, or its offset in its cell; past the
 * last cell (a two's complement fold's 2^b), 0 or, with select.offsetSaturates, size - 1.
 */
function operandFunction(channel: PwlChannel): (t: number) => number {
  const select = channel.select;
  if (select.kind !== "index" || !select.offset) return (t) => t;
  const offset = cellOffset(2 ** select.shift, 2 ** select.indexBits, select.offsetSaturates === true);
  const first = channel.first;
  return (t) => offset(t - first);
}

function evaluateTap(y: PwlChannel, tap: SlopeTap, x: number): number {
  const value = tap.values[segmentAt(y, x)]!;
  const negative = tap.fold.kind !== "none" && x < 0;
  return negative ? overflowCode(unfold(tap.fold, value, x), tap.output, "wrap") : value;
}

/** The segment the hardware selects for input code x. */
export function segmentAt(channel: PwlChannel, x: number): number {
  return segmentIndex(channel, tableCodeOf({ fold: channel.fold, shift: channel.inputShift }, x));
}

/** The segment a table code t selects, the way the hardware selects it. */
export function segmentIndex(channel: PwlChannel, t: number): number {
  let find = selects.get(channel);
  if (!find) {
    find = segmentFunction(channel);
    selects.set(channel, find);
  }
  return find(t);
}

const selects = new WeakMap<PwlChannel, (t: number) => number>();

function segmentFunction(channel: PwlChannel): (t: number) => number {
  const select = channel.select;
  const breakpoints = channel.breakpoints;
  if (select.kind === "index") {
    // The cell's ROM entry holds the words of the segment the cell's first code is in.
    const { indexBits, shift } = select;
    const cells = 2 ** indexBits;
    const size = 2 ** shift;
    const first = channel.first;
    const ofCell = Array.from({ length: cells }, (_, cell) => segmentOf(breakpoints, first + cell * size));
    return (t) => ofCell[Math.min(Math.floor((t - first) / size), cells - 1)]!;
  }
  return (t) => segmentOf(breakpoints, t);
}

export { segmentOf };
