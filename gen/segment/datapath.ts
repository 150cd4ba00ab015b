import {
  type FixFormat,
  type Overflow,
  type Rounding,
  maxCode,
  minCode,
  overflowCode,
  roundShift,
  width,
} from "../fixed/format.js";

/**
 * The arithmetic of one PWL evaluation, shared by the segmenter (to choose coefficients)
 * and the golden model (to evaluate a frozen design):
 *
 *     acc = slope * x + intercept * 2^k        (exact integer multiply-add)
 *     y   = overflow(round(acc / 2^s))         (one rounding, then saturate or wrap)
 *
 * with s = Fx + Fslope - Fy and k = Fx + Fslope - Fintercept. Round-half-up costs no
 * hardware: the half-ulp constant 2^(s-1) is folded into every stored intercept, and
 * the shift then truncates. So the shift itself only ever truncates or rounds half-even.
 */
export interface DatapathFormats {
  readonly input: FixFormat;
  readonly output: FixFormat;
  readonly slope: FixFormat;
  readonly intercept: FixFormat;
  readonly rounding: Rounding;
  readonly overflow: Overflow;
  /** --slope-digits: slopes have at most this many signed power-of-two digits (shift-add). */
  readonly slopeDigits?: number | undefined;
}

export type ShiftRounding = "truncate" | "half-even";

export interface DatapathShape {
  /** s: right shift from the accumulator's fraction bits to the output's. */
  readonly productShift: number;
  /** k: left shift that aligns a stored intercept with the product. */
  readonly interceptShift: number;
  readonly shiftRounding: ShiftRounding;
  /** Integer ranges of the stored coefficients. */
  readonly slopeMin: number;
  readonly slopeMax: number;
  readonly interceptMin: number;
  readonly interceptMax: number;
  readonly output: FixFormat;
  readonly overflow: Overflow;
  readonly slopeDigits?: number | undefined;
}

/** Largest magnitude any intermediate value may reach: keeps every double exact. */
export const ACC_LIMIT = 2 ** 51;

export function datapathShape(formats: DatapathFormats): DatapathShape {
  const accFrac = formats.input.fracBits + formats.slope.fracBits;
  return {
    productShift: accFrac - formats.output.fracBits,
    interceptShift: accFrac - formats.intercept.fracBits,
    shiftRounding: formats.rounding === "half-even" ? "half-even" : "truncate",
    slopeMin: minCode(formats.slope),
    slopeMax: maxCode(formats.slope),
    interceptMin: minCode(formats.intercept),
    interceptMax: maxCode(formats.intercept),
    output: formats.output,
    overflow: formats.overflow,
    ...(formats.slopeDigits !== undefined ? { slopeDigits: formats.slopeDigits } : {}),
  };
}

/**
 * Why a set of formats cannot be used, or undefined when it can: the shifts must be
 * non-negative and every product and sum must stay below ACC_LIMIT.
 */
export function datapathProblem(formats: DatapathFormats): string | undefined {
  const shape = datapathShape(formats);
  if (shape.productShift < 0) {
    return `needs at least ${formats.output.fracBits - formats.input.fracBits} slope fraction bits (input fraction + slope fraction >= output fraction)`;
  }
  if (shape.interceptShift < 0) {
    return `has more intercept fraction bits than input + slope fraction bits (${formats.input.fracBits + formats.slope.fracBits})`;
  }
  if (width(formats.input) + width(formats.slope) > 52) {
    return "makes the product wider than 52 bits";
  }
  if (width(formats.intercept) + shape.interceptShift > 51) {
    return "makes the aligned intercept wider than 51 bits";
  }
  if (width(formats.output) + shape.productShift > 50) {
    return "makes the accumulator wider than 50 bits";
  }
  return undefined;
}

export function accumulate(slope: number, intercept: number, x: number, shape: DatapathShape): number {
  return slope * x + intercept * 2 ** shape.interceptShift;
}

/** The output code before saturation or wrap. */
export function preOverflow(acc: number, shape: DatapathShape): number {
  return roundShift(acc, shape.productShift, shape.shiftRounding);
}

/** evaluateLine with the shape's constants read once, for loops over many codes. */
export function lineEvaluator(shape: DatapathShape): (slope: number, intercept: number, x: number) => number {
  const step = 2 ** shape.interceptShift;
  const s = shape.productShift;
  const rounding = shape.shiftRounding;
  const lo = minCode(shape.output);
  const hi = maxCode(shape.output);
  const saturate = shape.overflow === "saturate";
  return (slope, intercept, x) => {
    const q = roundShift(slope * x + intercept * step, s, rounding);
    if (q >= lo && q <= hi) return q;
    return saturate ? (q < lo ? lo : hi) : overflowCode(q, shape.output, "wrap");
  };
}

/** The full datapath for one input code and one coefficient pair. */
export function evaluateLine(slope: number, intercept: number, x: number, shape: DatapathShape): number {
  const code = preOverflow(accumulate(slope, intercept, x, shape), shape);
  return overflowCode(code, shape.output, shape.overflow);
}

/**
 * Maps a code's target [low, high] to the accumulator interval [low(low), high(high)]:
 * exactly the accumulator values whose rounded value lands in the target. An open end (a
 * target that reaches a saturating limit, +-Infinity) stays open.
 */
export class AccBounds {
  private readonly scale: number;
  private readonly half: number;
  private readonly halfEven: boolean;

  constructor(shape: DatapathShape) {
    this.scale = 2 ** shape.productShift;
    this.half = this.scale / 2;
    this.halfEven = shape.productShift > 0 && shape.shiftRounding === "half-even";
  }

  low(low: number): number {
    if (low === -Infinity || this.scale === 1) return low;
    if (!this.halfEven) return low * this.scale;
    // Round half to even: the tie just below `low` rounds up to it only when `low` is even.
    return low * this.scale - this.half + (low % 2 === 0 ? 0 : 1);
  }

  high(high: number): number {
    if (high === Infinity || this.scale === 1) return high;
    if (!this.halfEven) return (high + 1) * this.scale - 1;
    return high * this.scale + this.half - (high % 2 === 0 ? 0 : 1);
  }
}
