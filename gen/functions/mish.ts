import { sigmoid } from "./sigmoid.js";
import { softplus } from "./softplus.js";
import { dtanh } from "./tanh.js";
import type { ActivationFunction } from "./types.js";

export function mish(x: number): number {
  return x * Math.tanh(softplus(x));
}

/** tanh(sp) + x sech^2(sp) sigmoid(x), with sech^2 from dtanh (no 1 - tanh^2). */
export function dmish(x: number): number {
  const sp = softplus(x);
  return Math.tanh(sp) + x * dtanh(sp) * sigmoid(x);
}

export const mishFunction: ActivationFunction = {
  name: "mish",
  formula: "x * tanh(softplus(x))",
  params: [],
  symmetry: { kind: "none" },
  derivative: "dmish",
  make: () => mish,
};

export const dmishFunction: ActivationFunction = {
  name: "dmish",
  formula: "tanh(softplus(x)) + x * sech(softplus(x))^2 * sigmoid(x)",
  params: [],
  symmetry: { kind: "none" },
  make: () => dmish,
};
