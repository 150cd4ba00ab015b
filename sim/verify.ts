import { type LintResult, lintUnit } from "./lint.js";
import { readUnit, simulate } from "./simulate.js";
import { SIMULATORS, type SimResult, type Simulator } from "./types.js";

export interface Verification {
  /** Every lint and every simulation passed. */
  readonly passed: boolean;
  readonly lint: readonly LintResult[];
  readonly results: readonly SimResult[];
}

export type SimulatorChoice = Simulator | "all";

/**
 * The bit-exact check of a unit directory: lint the module, then run its testbench, which
 * compares the RTL with the golden model's vectors, in each chosen simulator.
 */
export async function verifyUnit(
  dir: string,
  simulators: SimulatorChoice = "all",
  options: { lint?: boolean } = {},
): Promise<Verification> {
  const unit = readUnit(dir);
  const lint = options.lint === false ? [] : await lintUnit(unit);
  const results: SimResult[] = [];
  for (const simulator of simulators === "all" ? SIMULATORS : [simulators]) {
    results.push(await simulate(unit, simulator));
  }
  return {
    passed: lint.every((result) => result.clean) && results.every((result) => result.passed),
    lint,
    results,
  };
}
