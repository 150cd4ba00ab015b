import type { ActivationFunction } from "./types.js";

export const expFunction: ActivationFunction = {
  name: "exp",
  formula: "exp(x)  (for x <= 0 ranges, e.g. softmax)",
  params: [],
  symmetry: { kind: "none" },
  derivative: "exp",
  make: () => Math.exp,
};
