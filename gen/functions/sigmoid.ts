import type { ActivationFunction } from "./types.js";

/** 1 / (1 + e^-x), written so that exp never overflows and nothing cancels. */
export function sigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

/** sigmoid'(x) = sigmoid(x) * sigmoid(-x), free of the cancellation in s * (1 - s). */
export function dsigmoid(x: number): number {
  const e = Math.exp(-Math.abs(x));
  return e / ((1 + e) * (1 + e));
}

export const sigmoidFunction: ActivationFunction = {
  name: "sigmoid",
  formula: "1 / (1 + exp(-x))",
  params: [],
  symmetry: { kind: "point", value: 1 },
  derivative: "dsigmoid",
  make: () => sigmoid,
};

export const dsigmoidFunction: ActivationFunction = {
  name: "dsigmoid",
  formula: "sigmoid(x) * (1 - sigmoid(x))",
  params: [],
  symmetry: { kind: "even" },
  make: () => dsigmoid,
};
