import { sigmoid } from "./sigmoid.js";

/**
 * Error-free transformations (Dekker, Knuth): an argument computed as a double plus its
 * rounding error, so that functions that amplify argument errors in their tails (sigmoid
 * of a large negative product, say) stay accurate to a few ulps.
 */
export type DoubleDouble = readonly [high: number, low: number];

/** a + b exactly, as the rounded sum and its error. */
export function twoSum(a: number, b: number): DoubleDouble {
  const s = a + b;
  const bb = s - a;
  return [s, a - (s - bb) + (b - bb)];
}

/** a * b exactly, as the rounded product and its error (Veltkamp splitting). */
export function twoProduct(a: number, b: number): DoubleDouble {
  const p = a * b;
  const [ah, al] = split(a);
  const [bh, bl] = split(b);
  return [p, ah * bh - p + ah * bl + al * bh + al * bl];
}

function split(a: number): DoubleDouble {
  const c = 134217729 * a; // 2^27 + 1
  const high = c - (c - a);
  return [high, a - high];
}

/** (a.high + a.low) * (b.high + b.low), to double-double accuracy. */
export function multiply(a: DoubleDouble, b: DoubleDouble): DoubleDouble {
  const [p, e] = twoProduct(a[0], b[0]);
  return twoSum(p, e + a[0] * b[1] + a[1] * b[0]);
}

export function add(a: DoubleDouble, b: DoubleDouble): DoubleDouble {
  const [s, e] = twoSum(a[0], b[0]);
  return twoSum(s, e + a[1] + b[1]);
}

/**
 * sigmoid(z) and sigmoid(-z) for z = high + low: sigmoid(h + l) = sigmoid(h) (1 + l
 * sigmoid(-h)) to first order in the tiny l.
 */
export function sigmoidPair(z: DoubleDouble): [up: number, down: number] {
  const up = sigmoid(z[0]);
  const down = sigmoid(-z[0]);
  return [up * (1 + z[1] * down), down * (1 - z[1] * up)];
}
