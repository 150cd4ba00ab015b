import { uniformInt } from "pure-rand/distribution/uniformInt";
import { xoroshiro128plus } from "pure-rand/generator/xoroshiro128plus";
import { maxCode, minCode, width } from "../fixed/format.js";
import type { PwlDesign } from "../design/ir.js";
import { evaluate, evaluateDerivative } from "../model/golden.js";

/**
 * Test vectors for the bit-exact check. Up to `exhaustiveLimit` input bits every code is
 * tested, in increasing order. Wider inputs get the corner cases (range ends, zero, and
 * both sides of every breakpoint) followed by a seeded random sample, in that order.
 * Expected outputs come from the golden model.
 */
export interface VectorOptions {
  readonly exhaustiveLimit: number;
  readonly randomVectors: number;
  readonly seed: number;
}

export interface VectorSet {
  readonly exhaustive: boolean;
  readonly inputs: Float64Array;
}

export function selectInputs(design: PwlDesign, options: VectorOptions): VectorSet {
  const lo = minCode(design.input);
  const hi = maxCode(design.input);
  if (width(design.input) <= options.exhaustiveLimit) {
    const inputs = new Float64Array(hi - lo + 1);
    for (let i = 0; i < inputs.length; i++) inputs[i] = lo + i;
    return { exhaustive: true, inputs };
  }
  const corners = new Set<number>([lo, lo + 1, hi - 1, hi]);
  if (lo <= 0 && hi >= 0) [-1, 0, 1].forEach((x) => corners.add(x));
  for (const channel of [design.y, ...(design.dy?.kind === "pwl" ? [design.dy] : [])]) {
    // Breakpoints are table codes: for a folded table, both signs of the magnitude.
    for (const b of channel.breakpoints) {
      for (const x of [b - 1, b]) {
        corners.add(x);
        if (channel.fold.kind !== "none") corners.add(-x);
      }
    }
  }
  const rng = xoroshiro128plus(options.seed);
  const random: number[] = [];
  for (let i = 0; i < options.randomVectors; i++) random.push(uniformInt(rng, lo, hi));
  const picked = [...[...corners].filter((x) => x >= lo && x <= hi).sort((a, b) => a - b), ...random];
  return { exhaustive: false, inputs: Float64Array.from(picked) };
}

/** The $readmemh file: one line per vector, the input code's bits, then y's, then dy's. */
export function vectorFile(design: PwlDesign, inputs: Float64Array): string {
  const fields = [
    { width: width(design.input), value: (x: number) => x },
    { width: width(design.y.output), value: (x: number) => evaluate(design, x) },
    ...(design.dy
      ? [{ width: width(design.dy.output), value: (x: number) => evaluateDerivative(design, x) }]
      : []),
  ];
  const digits = Math.ceil(fields.reduce((sum, field) => sum + field.width, 0) / 4);
  const lines = new Array<string>(inputs.length);
  for (let i = 0; i < inputs.length; i++) {
    let bits = 0n;
    for (const field of fields) {
      bits = (bits << BigInt(field.width)) | BigInt.asUintN(field.width, BigInt(field.value(inputs[i]!)));
    }
    lines[i] = bits.toString(16).padStart(digits, "0");
  }
  return `${lines.join("\n")}\n`;
}
