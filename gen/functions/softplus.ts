import { sigmoid } from "./sigmoid.js";
import type { ActivationFunction } from "./types.js";

/** log(1 + e^x) = max(x, 0) + log1p(e^-|x|): no overflow, no cancellation. */
export function softplus(x: number): number {
  return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
}

export const softplusFunction: ActivationFunction = {
  name: "softplus",
  formula: "log(1 + exp(x))",
  params: [],
  symmetry: { kind: "ramp" },
  derivative: "dsoftplus",
  make: () => softplus,
};

export const dsoftplusFunction: ActivationFunction = {
  name: "dsoftplus",
  formula: "sigmoid(x)",
  params: [],
  symmetry: { kind: "point", value: 1 },
  make: () => sigmoid,
};
