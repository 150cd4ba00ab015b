import { uniformInt } from "pure-rand/distribution/uniformInt";
import { xoroshiro128plus } from "pure-rand/generator/xoroshiro128plus";
import { maxCode, minCode, width } from "../fixed/format.js";
import type { PwlDesign } from "../design/ir.js";
import { evaluate } from "../model/golden.js";

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
  for (const b of design.y.breakpoints) [b - 1, b].forEach((x) => corners.add(x));
  const rng = xoroshiro128plus(options.seed);
  const random: number[] = [];
  for (let i = 0; i < options.randomVectors; i++) random.push(uniformInt(rng, lo, hi));
  const picked = [...[...corners].filter((x) => x >= lo && x <= hi).sort((a, b) => a - b), ...random];
  return { exhaustive: false, inputs: Float64Array.from(picked) };
}

/** The $readmemh file: one line per vector, the input code's bits then the expected output's. */
export function vectorFile(design: PwlDesign, inputs: Float64Array): string {
  const xWidth = width(design.input);
  const yWidth = width(design.y.output);
  const digits = Math.ceil((xWidth + yWidth) / 4);
  const lines = new Array<string>(inputs.length);
  for (let i = 0; i < inputs.length; i++) {
    const x = inputs[i]!;
    const xBits = BigInt.asUintN(xWidth, BigInt(x));
    const yBits = BigInt.asUintN(yWidth, BigInt(evaluate(design, x)));
    lines[i] = ((xBits << BigInt(yWidth)) | yBits).toString(16).padStart(digits, "0");
  }
  return `${lines.join("\n")}\n`;
}
