import type { ActivationFunction } from "./types.js";

export const softsignFunction: ActivationFunction = {
  name: "softsign",
  formula: "x / (1 + |x|)",
  params: [],
  symmetry: { kind: "odd" },
  derivative: "dsoftsign",
  make: () => (x) => x / (1 + Math.abs(x)),
};

export const dsoftsignFunction: ActivationFunction = {
  name: "dsoftsign",
  formula: "1 / (1 + |x|)^2",
  params: [],
  symmetry: { kind: "even" },
  make: () => (x) => 1 / ((1 + Math.abs(x)) * (1 + Math.abs(x))),
};
