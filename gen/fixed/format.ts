/**
 * Fixed-point formats: `s4.12` is signed two's complement with 4 integer bits (sign
 * included) and 12 fraction bits, 16 bits wide, range [-8, 8); `u1.15` is unsigned,
 * 16 bits, range [0, 2). This is the ap_fixed<W, I> convention. Integer bits may be zero
 * or negative (`s0.16` holds [-0.5, 0.5)), which coefficient formats often need.
 *
 * A format is three numbers; the width and the code range are derived, never stored.
 * Raw codes are JavaScript integers: every width pwlgen accepts keeps them (and the
 * datapath's accumulator) below 2^53, where doubles are exact.
 */
export interface FixFormat {
  readonly signed: boolean;
  readonly intBits: number;
  readonly fracBits: number;
}

/** How a value between two codes becomes a code. */
export const ROUNDING_MODES = ["half-up", "half-even", "truncate"] as const;
export type Rounding = (typeof ROUNDING_MODES)[number];
/** What happens to a value outside the code range. */
export const OVERFLOW_MODES = ["saturate", "wrap"] as const;
export type Overflow = (typeof OVERFLOW_MODES)[number];

const FORMAT_PATTERN = /^([su])(-?\d{1,3})\.(\d{1,3})$/;
/** Integer and fraction bits beyond this are never meaningful (and would lose exactness). */
const MAX_FIELD_BITS = 64;

/** Parses `s4.12` / `u1.15`; returns undefined when the text is not a format. */
export function parseFormat(text: string): FixFormat | undefined {
  const match = FORMAT_PATTERN.exec(text.trim());
  if (!match) return undefined;
  const format = {
    signed: match[1] === "s",
    intBits: Number(match[2]),
    fracBits: Number(match[3]),
  };
  const sane = Math.abs(format.intBits) <= MAX_FIELD_BITS && format.fracBits <= MAX_FIELD_BITS;
  return sane && width(format) >= 1 ? format : undefined;
}

export function formatName(format: FixFormat): string {
  return `${format.signed ? "s" : "u"}${format.intBits}.${format.fracBits}`;
}

export function width(format: FixFormat): number {
  return format.intBits + format.fracBits;
}

export function minCode(format: FixFormat): number {
  return format.signed ? -(2 ** (width(format) - 1)) : 0;
}

export function maxCode(format: FixFormat): number {
  return format.signed ? 2 ** (width(format) - 1) - 1 : 2 ** width(format) - 1;
}

/** The weight of one code step (one ulp), 2^-fracBits. */
export function ulp(format: FixFormat): number {
  return 2 ** -format.fracBits;
}

export function toReal(code: number, format: FixFormat): number {
  return code * ulp(format);
}

export function minReal(format: FixFormat): number {
  return toReal(minCode(format), format);
}

export function maxReal(format: FixFormat): number {
  return toReal(maxCode(format), format);
}

const POWERS = Array.from({ length: 64 }, (_, i) => 2 ** i);

/**
 * Rounds an exact rational `numerator / 2^shift` (numerator an integer) to an integer.
 * This is the datapath's rounding step; the golden model and the segmenter both use it.
 */
export function roundShift(numerator: number, shift: number, rounding: Rounding): number {
  if (shift <= 0) return numerator * POWERS[-shift]!;
  const scale = POWERS[shift]!;
  const floor = Math.floor(numerator / scale);
  if (rounding === "truncate") return floor;
  const remainder = numerator - floor * scale;
  const half = scale / 2;
  if (remainder > half) return floor + 1;
  if (remainder < half) return floor;
  if (rounding === "half-up") return floor + 1;
  return floor % 2 === 0 ? floor : floor + 1;
}

/** Rounds a real number to the nearest integer with the given mode (ties as in roundShift). */
export function roundReal(value: number, rounding: Rounding): number {
  const floor = Math.floor(value);
  if (rounding === "truncate") return floor;
  const remainder = value - floor;
  if (remainder > 0.5) return floor + 1;
  if (remainder < 0.5) return floor;
  if (rounding === "half-up") return floor + 1;
  return floor % 2 === 0 ? floor : floor + 1;
}

/** Brings an integer into the format's code range by clamping or two's-complement wrap. */
export function overflowCode(code: number, format: FixFormat, overflow: Overflow): number {
  const lo = minCode(format);
  const hi = maxCode(format);
  if (code >= lo && code <= hi) return code;
  if (overflow === "saturate") return code < lo ? lo : hi;
  const span = 2 ** width(format);
  return ((((code - lo) % span) + span) % span) + lo;
}

/** Converts a real number to a code: scale, round, then saturate or wrap. */
export function quantize(
  value: number,
  format: FixFormat,
  rounding: Rounding = "half-up",
  overflow: Overflow = "saturate",
): number {
  return overflowCode(roundReal(value * 2 ** format.fracBits, rounding), format, overflow);
}

/** The narrowest format of the given signedness and fraction bits that holds [lo, hi]. */
export function fitFormat(lo: number, hi: number, signed: boolean, fracBits: number): FixFormat {
  return { signed, intBits: bitsFor(lo, hi, signed) - fracBits, fracBits };
}

/** Bits of a signed or unsigned integer type that holds every integer in [lo, hi]. */
export function bitsFor(lo: number, hi: number, signed: boolean): number {
  if (!signed) {
    if (lo < 0) throw new RangeError(`an unsigned type cannot hold ${lo}`);
    let bits = 1;
    while (2 ** bits - 1 < hi) bits++;
    return bits;
  }
  let bits = 1;
  while (-(2 ** (bits - 1)) > lo || 2 ** (bits - 1) - 1 < hi) bits++;
  return bits;
}
