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
 * method, symmetry (ramp folds too), rounding, overflow and pipeline depth, with or without --exact-zero;
 * and the table architectures: fold styles, dropped input and output bits, local offsets,
 * index bits, and --method auto for every target.
 */
export interface RandomSpec {
  function: string;
  in: string;
  out: string;
  maxError: string;
  method: "auto" | "optimal" | "lsq-greedy" | "uniform" | "grid";
  target: "ice40" | "ice40-hx" | "xc7" | "generic";
  foldStyle?: "twos" | "ones";
  dropInputBits?: number;
  dropOutputBits?: number;
  localOffset?: boolean;
  shareSlopes?: boolean;
  slopeDigits?: number;
  symmetry: "auto" | "off" | "ramp";
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
    method: fc.constantFrom("auto", "optimal", "lsq-greedy", "uniform", "grid") as fc.Arbitrary<
      RandomSpec["method"]
    >,
    target: fc.constantFrom("ice40", "ice40-hx", "xc7", "generic") as fc.Arbitrary<RandomSpec["target"]>,
    foldStyle: fc.constantFrom(undefined, "twos", "ones") as fc.Arbitrary<RandomSpec["foldStyle"]>,
    dropInputBits: fc.constantFrom(undefined, 0, 1, 2, 3),
    dropOutputBits: fc.constantFrom(undefined, 0, 1, 2, 3),
    localOffset: fc.constantFrom(undefined, true, false),
    shareSlopes: fc.constantFrom(undefined, undefined, true, false),
    slopeDigits: fc.constantFrom(undefined, undefined, undefined, 1, 2, 3),
    symmetry: fc.constantFrom("auto", "off", "ramp") as fc.Arbitrary<RandomSpec["symmetry"]>,
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
      target: r.target,
      // Options that apply: a fold style only to a symmetric function (and not with
      // --exact-zero for ones), offsets only to uniform segments.
      ...(r.foldStyle !== undefined &&
      r.symmetry !== "off" &&
      input.signed &&
      !(r.exactZero && r.foldStyle === "ones")
        ? folds(r.fn, r.symmetry, r.method, input, output)
          ? { foldStyle: r.foldStyle }
          : {}
        : {}),
      ...(r.dropInputBits !== undefined && r.dropInputBits <= r.inWidth - 4
        ? { dropInputBits: r.dropInputBits }
        : {}),
      ...(r.dropOutputBits !== undefined && r.dropOutputBits <= r.outWidth - 4
        ? { dropOutputBits: r.dropOutputBits }
        : {}),
      ...(r.localOffset !== undefined && (r.method === "uniform" || r.method === "auto")
        ? { localOffset: r.localOffset }
        : {}),
      ...(r.shareSlopes !== undefined && (r.method === "uniform" || r.method === "auto")
        ? { shareSlopes: r.shareSlopes }
        : {}),
      ...(r.slopeDigits !== undefined ? { slopeDigits: r.slopeDigits } : {}),
      symmetry: r.symmetry,
      rounding: r.rounding,
      overflow: r.overflow,
      pipeline: r.pipeline,
      exactZero: r.exactZero,
    };
  });

/**
 * Whether pwlgen may fold a registered function's table: it has a symmetry, and for a ramp
 * symmetry (f(x) = f(-x) + x) --symmetry ramp or --method auto asks for it, with an output
 * grid at least as fine as the input's.
 */
function folds(name: string, symmetry: string, method: string, input: FixFormat, output: FixFormat): boolean {
  const kind = FUNCTIONS.find((fn) => fn.name === name)!.symmetry.kind;
  if (kind !== "ramp") return kind !== "none";
  return (symmetry === "ramp" || method === "auto") && output.fracBits >= input.fracBits;
}
