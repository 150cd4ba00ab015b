import { describe, it, expect } from "vitest";
import {
  type FixFormat,
  type Overflow,
  type Rounding,
  ROUNDING_MODES,
  bitsFor,
  formatName,
  maxCode,
  maxReal,
  minCode,
  minReal,
  overflowCode,
  parseFormat,
  quantize,
  roundReal,
  roundShift,
  ulp,
  width,
} from "../../gen/fixed/format.js";

const S4_12: FixFormat = { signed: true, intBits: 4, fracBits: 12 };
const U1_15: FixFormat = { signed: false, intBits: 1, fracBits: 15 };
const S1_15: FixFormat = { signed: true, intBits: 1, fracBits: 15 };
const S2_2: FixFormat = { signed: true, intBits: 2, fracBits: 2 }; // 4 bits, codes -8..7
const U2_2: FixFormat = { signed: false, intBits: 2, fracBits: 2 }; // 4 bits, codes 0..15

/**
 * Reference rounding of the exact rational n / 2^s, computed with BigInt: the floor is an
 * arithmetic right shift (what dropping the low bits of a two's complement number does),
 * and the tie is decided by comparing twice the remainder with the divisor.
 */
function referenceRoundShift(n: number, s: number, rounding: Rounding): number {
  const num = BigInt(n);
  const shift = BigInt(s);
  const floor = num >> shift;
  if (rounding === "truncate" || s === 0) return Number(floor);
  const twiceRemainder = 2n * (num - (floor << shift));
  const divisor = 1n << shift;
  if (twiceRemainder > divisor) return Number(floor + 1n);
  if (twiceRemainder < divisor) return Number(floor);
  if (rounding === "half-up") return Number(floor + 1n);
  return Number(floor % 2n === 0n ? floor : floor + 1n);
}

/** Bits of the narrowest integer type holding [lo, hi], from BigInt binary lengths. */
function referenceBitsFor(lo: number, hi: number, signed: boolean): number {
  const magnitudeBits = (v: bigint): number => (v === 0n ? 0 : v.toString(2).length);
  if (!signed) return Math.max(1, magnitudeBits(BigInt(hi)));
  // A signed b-bit type holds v >= 0 when v < 2^(b-1), and v < 0 when -v - 1 < 2^(b-1).
  const need = (v: bigint): number => 1 + magnitudeBits(v >= 0n ? v : -v - 1n);
  return Math.max(need(BigInt(lo)), need(BigInt(hi)));
}

describe("parseFormat", () => {
  it("reads s4.12 as signed, 4 integer bits (sign included), 12 fraction bits, 16 wide", () => {
    const format = parseFormat("s4.12");
    expect(format).toEqual({ signed: true, intBits: 4, fracBits: 12 });
    expect(width(format!)).toBe(16);
  });

  it("reads u1.15 as unsigned, 1 integer bit, 15 fraction bits, 16 wide", () => {
    const format = parseFormat("u1.15");
    expect(format).toEqual({ signed: false, intBits: 1, fracBits: 15 });
    expect(width(format!)).toBe(16);
  });

  it("accepts zero integer bits (s0.16) and negative integer bits (s-1.17)", () => {
    expect(parseFormat("s0.16")).toEqual({ signed: true, intBits: 0, fracBits: 16 });
    const negative = parseFormat("s-1.17");
    expect(negative).toEqual({ signed: true, intBits: -1, fracBits: 17 });
    expect(width(negative!)).toBe(16);
  });

  it.each(["q4.12", "s4", "4.12", "s1.", "u0.0", "", "s4.12x", "s.12"])("rejects %j", (text) => {
    expect(parseFormat(text)).toBeUndefined();
  });

  it("rejects a format whose width is negative (s-20.4)", () => {
    expect(parseFormat("s-20.4")).toBeUndefined();
  });
});

describe("formatName", () => {
  it.each(["s4.12", "u1.15", "s1.15", "s0.16", "s-1.17", "u0.8", "u-2.7"])("round-trips %s", (text) => {
    expect(formatName(parseFormat(text)!)).toBe(text);
  });

  it("names a format built by hand", () => {
    expect(formatName({ signed: false, intBits: 3, fracBits: 5 })).toBe("u3.5");
    expect(formatName({ signed: true, intBits: -2, fracBits: 10 })).toBe("s-2.10");
  });
});

describe("code range and ulp", () => {
  it("s4.12 spans codes -32768..32767, reals [-8, 8) in steps of 2^-12", () => {
    expect(minCode(S4_12)).toBe(-32768);
    expect(maxCode(S4_12)).toBe(32767);
    expect(ulp(S4_12)).toBe(1 / 4096);
    expect(minReal(S4_12)).toBe(-8);
    expect(maxReal(S4_12)).toBe(8 - 1 / 4096);
  });

  it("u1.15 spans codes 0..65535, reals [0, 2) in steps of 2^-15", () => {
    expect(minCode(U1_15)).toBe(0);
    expect(maxCode(U1_15)).toBe(65535);
    expect(ulp(U1_15)).toBe(1 / 32768);
    expect(minReal(U1_15)).toBe(0);
    expect(maxReal(U1_15)).toBe(2 - 1 / 32768);
  });

  it("s1.15 spans codes -32768..32767, reals [-1, 1) in steps of 2^-15", () => {
    expect(minCode(S1_15)).toBe(-32768);
    expect(maxCode(S1_15)).toBe(32767);
    expect(ulp(S1_15)).toBe(1 / 32768);
    expect(minReal(S1_15)).toBe(-1);
    expect(maxReal(S1_15)).toBe(1 - 1 / 32768);
  });

  it("s-1.17 (16 bits) holds [-0.25, 0.25)", () => {
    const format = parseFormat("s-1.17")!;
    expect(minReal(format)).toBe(-0.25);
    expect(maxReal(format)).toBe(0.25 - 2 ** -17);
  });
});

describe("roundShift (numerator / 2^shift to an integer)", () => {
  // [numerator, shift, exact value, half-up, half-even, truncate]
  const cases: [number, number, number, number, number, number][] = [
    [3, 1, 1.5, 2, 2, 1],
    [-3, 1, -1.5, -1, -2, -2],
    [5, 1, 2.5, 3, 2, 2],
    [-5, 1, -2.5, -2, -2, -3],
    [7, 1, 3.5, 4, 4, 3],
    [1, 1, 0.5, 1, 0, 0],
    [-1, 1, -0.5, 0, 0, -1],
    [5, 2, 1.25, 1, 1, 1],
    [7, 2, 1.75, 2, 2, 1],
    [-5, 2, -1.25, -1, -1, -2],
    [-7, 2, -1.75, -2, -2, -2],
    [6, 2, 1.5, 2, 2, 1],
    [-6, 2, -1.5, -1, -2, -2],
    [8, 2, 2, 2, 2, 2],
    [-8, 2, -2, -2, -2, -2],
    [0, 3, 0, 0, 0, 0],
  ];

  it.each(cases)(
    "%i / 2^%i = %d: half-up %i, half-even %i, truncate (floor) %i",
    (n, s, exact, up, even, trunc) => {
      expect(n / 2 ** s).toBe(exact);
      expect(roundShift(n, s, "half-up")).toBe(up);
      expect(roundShift(n, s, "half-even")).toBe(even);
      expect(roundShift(n, s, "truncate")).toBe(trunc);
    },
  );

  it("shift 0 returns the numerator unchanged in every mode", () => {
    for (const rounding of ROUNDING_MODES) {
      for (const n of [0, 1, -1, 3, -3, 12345, -32768]) expect(roundShift(n, 0, rounding)).toBe(n);
    }
  });

  it("a negative shift multiplies (3 / 2^-2 = 12)", () => {
    expect(roundShift(3, -2, "half-up")).toBe(12);
    expect(roundShift(-3, -2, "truncate")).toBe(-12);
  });

  it("matches a BigInt reference for numerators -100..100 and shifts 0..6 in every mode", () => {
    for (const rounding of ROUNDING_MODES) {
      for (let s = 0; s <= 6; s++) {
        for (let n = -100; n <= 100; n++) {
          expect(roundShift(n, s, rounding), `${n} >> ${s} ${rounding}`).toBe(
            referenceRoundShift(n, s, rounding),
          );
        }
      }
    }
  });

  it("matches the reference for large numerators near 2^50", () => {
    const big = 2 ** 50;
    for (const rounding of ROUNDING_MODES) {
      for (const n of [big + 1, big + 2, big + 3, -big - 1, -big - 2, -big - 3, big - 1, -(big - 1)]) {
        for (const s of [1, 2, 13, 30]) {
          expect(roundShift(n, s, rounding), `${n} >> ${s} ${rounding}`).toBe(
            referenceRoundShift(n, s, rounding),
          );
        }
      }
    }
  });
});

describe("roundReal", () => {
  // [value, half-up, half-even, truncate (floor)]
  const cases: [number, number, number, number][] = [
    [1.5, 2, 2, 1],
    [-1.5, -1, -2, -2],
    [2.5, 3, 2, 2],
    [-2.5, -2, -2, -3],
    [3.5, 4, 4, 3],
    [0.5, 1, 0, 0],
    [-0.5, 0, 0, -1],
    [1.25, 1, 1, 1],
    [1.75, 2, 2, 1],
    [-1.25, -1, -1, -2],
    [-1.75, -2, -2, -2],
    [7, 7, 7, 7],
    [-7, -7, -7, -7],
  ];

  it.each(cases)("%d: half-up %i, half-even %i, truncate (floor) %i", (value, up, even, trunc) => {
    expect(roundReal(value, "half-up")).toBe(up);
    expect(roundReal(value, "half-even")).toBe(even);
    expect(roundReal(value, "truncate")).toBe(trunc);
  });

  it("does not round 0.49999999999999994 (just below a half) up, as floor(x + 0.5) would", () => {
    expect(roundReal(0.49999999999999994, "half-up")).toBe(0);
    expect(roundReal(0.49999999999999994, "half-even")).toBe(0);
  });

  it("agrees with roundShift on every dyadic value n / 2^s (n in -64..64, s in 0..4)", () => {
    for (const rounding of ROUNDING_MODES) {
      for (let s = 0; s <= 4; s++) {
        for (let n = -64; n <= 64; n++) {
          expect(roundReal(n / 2 ** s, rounding), `${n}/2^${s} ${rounding}`).toBe(
            referenceRoundShift(n, s, rounding),
          );
        }
      }
    }
  });
});

describe("overflowCode", () => {
  it("leaves in-range codes alone in both modes", () => {
    for (const overflow of ["saturate", "wrap"] as Overflow[]) {
      expect(overflowCode(-32768, S4_12, overflow)).toBe(-32768);
      expect(overflowCode(32767, S4_12, overflow)).toBe(32767);
      expect(overflowCode(0, U1_15, overflow)).toBe(0);
      expect(overflowCode(65535, U1_15, overflow)).toBe(65535);
    }
  });

  it("saturate clamps to the ends of the code range", () => {
    expect(overflowCode(32768, S4_12, "saturate")).toBe(32767);
    expect(overflowCode(1e9, S4_12, "saturate")).toBe(32767);
    expect(overflowCode(-32769, S4_12, "saturate")).toBe(-32768);
    expect(overflowCode(-1e9, S4_12, "saturate")).toBe(-32768);
    expect(overflowCode(65536, U1_15, "saturate")).toBe(65535);
    expect(overflowCode(-1, U1_15, "saturate")).toBe(0);
  });

  it("wrap on a signed format is two's complement wrap (BigInt.asIntN)", () => {
    expect(overflowCode(32768, S4_12, "wrap")).toBe(-32768);
    expect(overflowCode(-32769, S4_12, "wrap")).toBe(32767);
    for (let code = -100; code <= 100; code++) {
      expect(overflowCode(code, S2_2, "wrap"), String(code)).toBe(Number(BigInt.asIntN(4, BigInt(code))));
    }
    for (const code of [70000, -70000, 2 ** 40 + 5, -(2 ** 40) - 5]) {
      expect(overflowCode(code, S4_12, "wrap"), String(code)).toBe(Number(BigInt.asIntN(16, BigInt(code))));
    }
  });

  it("wrap on an unsigned format is modulo 2^width (BigInt.asUintN)", () => {
    expect(overflowCode(65536, U1_15, "wrap")).toBe(0);
    expect(overflowCode(-1, U1_15, "wrap")).toBe(65535);
    for (let code = -100; code <= 100; code++) {
      expect(overflowCode(code, U2_2, "wrap"), String(code)).toBe(Number(BigInt.asUintN(4, BigInt(code))));
    }
  });

  it("saturate matches a plain clamp for codes -100..100 of s2.2 and u2.2", () => {
    for (let code = -100; code <= 100; code++) {
      expect(overflowCode(code, S2_2, "saturate")).toBe(Math.min(7, Math.max(-8, code)));
      expect(overflowCode(code, U2_2, "saturate")).toBe(Math.min(15, Math.max(0, code)));
    }
  });
});

describe("quantize", () => {
  it("scales by 2^fracBits and rounds", () => {
    expect(quantize(1, S4_12)).toBe(4096);
    expect(quantize(-1, S4_12)).toBe(-4096);
    expect(quantize(0.5, U1_15)).toBe(16384);
    expect(quantize(0.3, U1_15)).toBe(9830); // 0.3 * 32768 = 9830.4
    expect(quantize(0.3, U1_15, "truncate")).toBe(9830);
    expect(quantize(-0.3, S1_15, "truncate")).toBe(-9831); // floor(-9830.4)
  });

  it("applies the rounding mode on exact ties", () => {
    const halfUlp = 2 ** -13; // 0.5 code of s4.12
    expect(quantize(halfUlp, S4_12, "half-up")).toBe(1);
    expect(quantize(halfUlp, S4_12, "half-even")).toBe(0);
    expect(quantize(halfUlp, S4_12, "truncate")).toBe(0);
    expect(quantize(3 * halfUlp, S4_12, "half-even")).toBe(2);
    expect(quantize(-halfUlp, S4_12, "half-up")).toBe(0);
    expect(quantize(-halfUlp, S4_12, "half-even")).toBe(0);
    expect(quantize(-halfUlp, S4_12, "truncate")).toBe(-1);
  });

  it("defaults to half-up and saturate", () => {
    expect(quantize(2 ** -13, S4_12)).toBe(1);
    expect(quantize(100, S4_12)).toBe(32767);
  });

  it("saturates at both ends", () => {
    expect(quantize(8, S4_12, "half-up", "saturate")).toBe(32767);
    expect(quantize(1e6, S4_12, "half-up", "saturate")).toBe(32767);
    expect(quantize(-8, S4_12, "half-up", "saturate")).toBe(-32768);
    expect(quantize(-8.5, S4_12, "half-up", "saturate")).toBe(-32768);
    expect(quantize(-1e6, S4_12, "half-up", "saturate")).toBe(-32768);
    expect(quantize(2, U1_15, "half-up", "saturate")).toBe(65535);
    expect(quantize(-0.25, U1_15, "half-up", "saturate")).toBe(0);
    expect(quantize(1, S1_15, "half-up", "saturate")).toBe(32767);
  });

  it("rounding can push a value just below the top over it, and saturation catches it", () => {
    // 8 - 2^-13 is code 32767.5: half a code above the largest code, 32767.
    expect(quantize(8 - 2 ** -13, S4_12, "half-up", "saturate")).toBe(32767);
    expect(quantize(8 - 2 ** -13, S4_12, "truncate", "saturate")).toBe(32767);
    expect(quantize(8 - 2 ** -13, S4_12, "half-up", "wrap")).toBe(-32768);
  });

  it("wraps instead when asked", () => {
    expect(quantize(8, S4_12, "half-up", "wrap")).toBe(-32768);
    expect(quantize(-8 - 2 ** -12, S4_12, "half-up", "wrap")).toBe(32767);
    expect(quantize(2, U1_15, "half-up", "wrap")).toBe(0);
    expect(quantize(-(2 ** -15), U1_15, "half-up", "wrap")).toBe(65535);
  });
});

describe("bitsFor", () => {
  const cases: [number, number, boolean, number][] = [
    [0, 0, false, 1],
    [0, 1, false, 1],
    [0, 1, true, 2],
    [-1, 0, true, 1],
    [-1, 1, true, 2],
    [-2, 1, true, 2],
    [-128, 127, true, 8],
    [-129, 127, true, 9],
    [-128, 128, true, 9],
    [0, 127, true, 8],
    [-128, 0, true, 8],
    [0, 255, false, 8],
    [0, 256, false, 9],
    [3, 255, false, 8],
    [0, 2 ** 50 - 1, false, 50],
    [0, 2 ** 50, false, 51],
    [-(2 ** 50), 2 ** 50 - 1, true, 51],
    [-(2 ** 50) - 1, 0, true, 52],
    [0, 2 ** 50, true, 52],
  ];

  it.each(cases)("[%d, %d] signed=%s needs %i bits", (lo, hi, signed, bits) => {
    expect(bitsFor(lo, hi, signed)).toBe(bits);
    expect(referenceBitsFor(lo, hi, signed)).toBe(bits);
  });

  it("matches a BigInt bit-length reference on every range within -300..300", () => {
    for (let lo = -300; lo <= 300; lo += 7) {
      for (let hi = lo; hi <= 300; hi += 11) {
        expect(bitsFor(lo, hi, true), `[${lo}, ${hi}] signed`).toBe(referenceBitsFor(lo, hi, true));
        if (lo >= 0) expect(bitsFor(lo, hi, false), `[${lo}, ${hi}]`).toBe(referenceBitsFor(lo, hi, false));
      }
    }
  });

  it("rejects a negative value for an unsigned type", () => {
    expect(() => bitsFor(-1, 5, false)).toThrow(RangeError);
  });
});
