import { sigmoidFunction } from "./sigmoid.js";
import { tanhFunction } from "./tanh.js";
import type { ActivationFunction } from "./types.js";

/** Every function `--function` accepts, in the order `pwlgen list` shows them. */
export const FUNCTIONS: readonly ActivationFunction[] = [sigmoidFunction, tanhFunction];

export const FUNCTION_NAMES = FUNCTIONS.map((fn) => fn.name) as [string, ...string[]];

export function findFunction(name: string): ActivationFunction | undefined {
  return FUNCTIONS.find((fn) => fn.name === name);
}
