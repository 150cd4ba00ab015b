import { type ActivationFunction, type ParamSpec, param } from "./types.js";

const ALPHA: ParamSpec = { name: "alpha", default: 1, description: "saturation value -alpha for x -> -inf" };
/** SELU's constants (Klambauer et al. 2017). */
const SELU_LAMBDA = 1.0507009873554805;
const SELU_ALPHA = 1.6732632423543772;

/** x for x > 0, alpha (e^x - 1) otherwise; expm1 keeps small |x| accurate. */
function elu(alpha: number): (x: number) => number {
  return (x) => (x > 0 ? x : alpha * Math.expm1(x));
}

function delu(alpha: number): (x: number) => number {
  return (x) => (x > 0 ? 1 : alpha * Math.exp(x));
}

export const eluFunction: ActivationFunction = {
  name: "elu",
  formula: "x if x > 0, else alpha * (exp(x) - 1)",
  params: [ALPHA],
  symmetry: { kind: "none" },
  derivative: "delu",
  make: (params) => elu(param(params, ALPHA)),
};

export const deluFunction: ActivationFunction = {
  name: "delu",
  formula: "1 if x > 0, else alpha * exp(x)",
  params: [ALPHA],
  symmetry: { kind: "none" },
  make: (params) => delu(param(params, ALPHA)),
};

export const seluFunction: ActivationFunction = {
  name: "selu",
  formula: "lambda * elu(x, alpha) with lambda = 1.0507, alpha = 1.67326",
  params: [],
  symmetry: { kind: "none" },
  derivative: "dselu",
  make: () => {
    const f = elu(SELU_ALPHA);
    return (x) => SELU_LAMBDA * f(x);
  },
};

export const dseluFunction: ActivationFunction = {
  name: "dselu",
  formula: "lambda if x > 0, else lambda * alpha * exp(x)",
  params: [],
  symmetry: { kind: "none" },
  make: () => {
    const f = delu(SELU_ALPHA);
    return (x) => SELU_LAMBDA * f(x);
  },
};
