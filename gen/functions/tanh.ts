import type { ActivationFunction } from "./types.js";

export const tanhFunction: ActivationFunction = {
  name: "tanh",
  formula: "(exp(x) - exp(-x)) / (exp(x) + exp(-x))",
  symmetry: "odd",
  // V8's Math.tanh is fdlibm's, correct to within 1 ulp over the real line.
  evaluate: Math.tanh,
};
