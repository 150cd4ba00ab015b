import { normalCdf, normalPdf } from "./normal.js";
import { type DoubleDouble, add, multiply, sigmoidPair, twoProduct } from "./dd.js";
import type { ActivationFunction } from "./types.js";

/** sqrt(2/pi) and 0.044715 as double-doubles: the tail of sigmoid(2u) amplifies their rounding. */
const GELU_TANH_C: DoubleDouble = [0.7978845608028654, -4.98465440455546e-17];
const GELU_TANH_K: DoubleDouble = [0.044715, 2.1960211427085595e-18];

/** x * Phi(x), with Phi accurate in the negative tail (see normal.ts). */
export function gelu(x: number): number {
  return x * normalCdf(x);
}

/** Phi(x) + x * phi(x). */
export function dgelu(x: number): number {
  return normalCdf(x) + x * normalPdf(x);
}

/** 2u(x) = 2 sqrt(2/pi) (x + 0.044715 x^3) as a double-double; 0.5 x (1 + tanh u) = x sigmoid(2u). */
function twoU(x: number): DoubleDouble {
  const square = twoProduct(x, x);
  const cube = multiply(square, [x, 0]);
  const inner = add([x, 0], multiply(GELU_TANH_K, cube));
  const u = multiply(GELU_TANH_C, inner);
  return [2 * u[0], 2 * u[1]];
}

export function geluTanh(x: number): number {
  return x * sigmoidPair(twoU(x))[0];
}

/** sigmoid(2u) + x * 2 u'(x) * sigmoid(2u) sigmoid(-2u). */
export function dgeluTanh(x: number): number {
  const [up, down] = sigmoidPair(twoU(x));
  const du = GELU_TANH_C[0] * (1 + 3 * GELU_TANH_K[0] * x * x);
  return up + 2 * x * du * up * down;
}

export const geluFunction: ActivationFunction = {
  name: "gelu",
  formula: "x * (1 + erf(x / sqrt(2))) / 2",
  params: [],
  symmetry: { kind: "ramp" },
  derivative: "dgelu",
  make: () => gelu,
};

export const dgeluFunction: ActivationFunction = {
  name: "dgelu",
  formula: "Phi(x) + x * phi(x)  (normal cdf and pdf)",
  params: [],
  symmetry: { kind: "point", value: 1 },
  make: () => dgelu,
};

export const geluTanhFunction: ActivationFunction = {
  name: "gelu_tanh",
  formula: "x * (1 + tanh(sqrt(2/pi) * (x + 0.044715 x^3))) / 2",
  params: [],
  symmetry: { kind: "ramp" },
  derivative: "dgelu_tanh",
  make: () => geluTanh,
};

export const dgeluTanhFunction: ActivationFunction = {
  name: "dgelu_tanh",
  formula: "d/dx of gelu_tanh",
  params: [],
  symmetry: { kind: "point", value: 1 },
  make: () => dgeluTanh,
};
