import type { ActivationFunction } from "./types.js";

/** tanh'(x) = sech(x)^2 = 4 e^-2|x| / (1 + e^-2|x|)^2, without 1 - tanh^2's cancellation. */
export function dtanh(x: number): number {
  const e = Math.exp(-2 * Math.abs(x));
  return (4 * e) / ((1 + e) * (1 + e));
}

export const tanhFunction: ActivationFunction = {
  name: "tanh",
  formula: "(exp(x) - exp(-x)) / (exp(x) + exp(-x))",
  params: [],
  symmetry: { kind: "odd" },
  derivative: "dtanh",
  // V8's Math.tanh is fdlibm's, correct to within 1 ulp over the real line.
  make: () => Math.tanh,
};

export const dtanhFunction: ActivationFunction = {
  name: "dtanh",
  formula: "1 - tanh(x)^2",
  params: [],
  symmetry: { kind: "even" },
  make: () => dtanh,
};
