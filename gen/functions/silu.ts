import { sigmoidPair, twoProduct } from "./dd.js";
import { type ActivationFunction, type ParamSpec, param } from "./types.js";

const BETA: ParamSpec = { name: "beta", default: 1, description: "slope of the gate: x * sigmoid(beta x)" };

/** sigmoid(beta x), sigmoid(-beta x) and beta x, for the exact product beta x (see dd.ts). */
function gates(beta: number, x: number): [number, number, number] {
  const z = twoProduct(beta, x);
  const [up, down] = sigmoidPair(z);
  return [up, down, z[0] + z[1]];
}

export const siluFunction: ActivationFunction = {
  name: "silu",
  formula: "x * sigmoid(beta * x)  (swish)",
  params: [BETA],
  symmetry: { kind: "ramp" },
  derivative: "dsilu",
  make: (params) => {
    const beta = param(params, BETA);
    return (x) => x * gates(beta, x)[0];
  },
};

export const dsiluFunction: ActivationFunction = {
  name: "dsilu",
  formula: "sigmoid(beta x) + beta x sigmoid(beta x) (1 - sigmoid(beta x))",
  params: [BETA],
  symmetry: { kind: "point", value: 1 },
  make: (params) => {
    const beta = param(params, BETA);
    return (x) => {
      const [up, down, bx] = gates(beta, x);
      return up + bx * up * down;
    };
  },
};
