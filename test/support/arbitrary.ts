import fc from "fast-check";
import {
  type FixFormat,
  formatName,
  maxCode,
  maxReal,
  minCode,
  minReal,
  toReal,
} from "../../gen/fixed/format.js";
import { FUNCTIONS } from "../../gen/functions/registry.js";

/**
 * Random but sensible designs for property tests: any registered function, inputs of 6 to
 * 14 bits and outputs of 6 to 16 bits (signed or unsigned), the output's integer bits sized
 * to the function's range (so most are feasible), a bound from half an ulp up, and every
 * method, symmetry, rounding, overflow and pipeline depth, with or without --exact-zero.
 */
export interface RandomSpec {
  function: string;
  in: string;
  out: string;
  maxError: string;
  method: "optimal" | "lsq-greedy" | "uniform";
  symmetry: "auto" | "off";
  rounding: "half-up" | "half-even" | "truncate";
  overflow: "saturate" | "wrap";
  pipeline: number;
  exactZero: boolean;
}

export const randomSpec: fc.Arbitrary<RandomSpec> = fc
  .record({
    fn: fc.constantFrom(...FUNCTIONS.map((f) => f.name)),
    inSigned: fc.boolean(),
    inWidth: fc.integer({ min: 6, max: 14 }),
    inInt: fc.integer({ min: 1, max: 4 }),
    outSigned: fc.boolean(),
    outWidth: fc.integer({ min: 6, max: 16 }),
    ulps: fc.constantFrom("0.5ulp", "0.75ulp", "1ulp", "2ulp", "4ulp", "16ulp", "64ulp"),
    method: fc.constantFrom("optimal", "lsq-greedy", "uniform") as fc.Arbitrary<RandomSpec["method"]>,
    symmetry: fc.constantFrom("auto", "off") as fc.Arbitrary<RandomSpec["symmetry"]>,
    rounding: fc.constantFrom("half-up", "half-even", "truncate") as fc.Arbitrary<RandomSpec["rounding"]>,
    overflow: fc.constantFrom("saturate", "wrap") as fc.Arbitrary<RandomSpec["overflow"]>,
    pipeline: fc.integer({ min: 0, max: 4 }),
    exactZero: fc.boolean(),
  })
  .map((r) => {
    const input: FixFormat = { signed: r.inSigned, intBits: r.inInt, fracBits: r.inWidth - r.inInt };
    const f = FUNCTIONS.find((fn) => fn.name === r.fn)!.make({});
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = 0; i <= 64; i++) {
      const v = f(toReal(Math.round(minCode(input) + ((maxCode(input) - minCode(input)) * i) / 64), input));
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    // Integer bits that hold [lo, hi] (negative values force a signed output).
    const signed = r.outSigned || lo < 0;
    let intBits = signed ? 1 : 0;
    const fits = (b: number): boolean => {
      const format = { signed, intBits: b, fracBits: r.outWidth - b };
      return minReal(format) <= lo && maxReal(format) >= hi;
    };
    while (!fits(intBits) && intBits < r.outWidth - 1) intBits++;
    const output: FixFormat = { signed, intBits, fracBits: r.outWidth - intBits };
    return {
      function: r.fn,
      in: formatName(input),
      out: formatName(output),
      maxError: r.ulps,
      method: r.method,
      symmetry: r.symmetry,
      rounding: r.rounding,
      overflow: r.overflow,
      pipeline: r.pipeline,
      exactZero: r.exactZero,
    };
  });
