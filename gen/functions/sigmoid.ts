import type { ActivationFunction } from "./types.js";

/** 1 / (1 + e^-x), written so that exp never overflows and nothing cancels. */
export function sigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

export const sigmoidFunction: ActivationFunction = {
  name: "sigmoid",
  formula: "1 / (1 + exp(-x))",
  symmetry: "point",
  evaluate: sigmoid,
};
