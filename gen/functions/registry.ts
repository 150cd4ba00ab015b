import { eluFunction, deluFunction, seluFunction, dseluFunction } from "./elu.js";
import { expFunction } from "./exp.js";
import { dgeluFunction, dgeluTanhFunction, geluFunction, geluTanhFunction } from "./gelu.js";
import { dmishFunction, mishFunction } from "./mish.js";
import { dsigmoidFunction, sigmoidFunction } from "./sigmoid.js";
import { dsiluFunction, siluFunction } from "./silu.js";
import { dsoftplusFunction, softplusFunction } from "./softplus.js";
import { dsoftsignFunction, softsignFunction } from "./softsign.js";
import { dtanhFunction, tanhFunction } from "./tanh.js";
import type { ActivationFunction } from "./types.js";

/** Every function `--function` accepts, in the order `pwlgen list` shows them. */
export const FUNCTIONS: readonly ActivationFunction[] = [
  sigmoidFunction,
  tanhFunction,
  geluFunction,
  geluTanhFunction,
  siluFunction,
  softplusFunction,
  eluFunction,
  seluFunction,
  mishFunction,
  softsignFunction,
  expFunction,
  dsigmoidFunction,
  dtanhFunction,
  dgeluFunction,
  dgeluTanhFunction,
  dsiluFunction,
  dsoftplusFunction,
  deluFunction,
  dseluFunction,
  dmishFunction,
  dsoftsignFunction,
];

export const FUNCTION_NAMES = FUNCTIONS.map((fn) => fn.name) as [string, ...string[]];

export function findFunction(name: string): ActivationFunction | undefined {
  return FUNCTIONS.find((fn) => fn.name === name);
}
