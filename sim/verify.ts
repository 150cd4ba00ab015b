import { type LintResult, lintUnit } from "./lint.js";
import { readUnit, requireUnitFiles, simulate } from "./simulate.js";
import { requireSimulators } from "./tools.js";
import { SIMULATORS, type SimResult, type Simulator } from "./types.js";

export interface Verification {
  /** Every lint and every simulation passed. */
  readonly passed: boolean;
  readonly lint: readonly LintResult[];
  readonly results: readonly SimResult[];
}

export type SimulatorChoice = Simulator | "all";

export function chosenSimulators(choice: SimulatorChoice): readonly Simulator[] {
  return choice === "all" ? SIMULATORS : [choice];
}

/**
 * The bit-exact check of a unit directory: lint the module, then run its testbench, which
 * compares the RTL with the golden model's vectors, in each chosen simulator. Only the
 * chosen simulators are needed, for lint too. Missing files (exit 2) and missing tools
 * (exit 3) are found before any tool runs.
 */
export async function verifyUnit(
  dir: string,
  simulators: SimulatorChoice = "all",
  options: { lint?: boolean } = {},
): Promise<Verification> {
  const unit = readUnit(dir);
  requireUnitFiles(unit, ["testbench", "vectors"]);
  const chosen = chosenSimulators(simulators);
  requireSimulators(chosen);
  const lint = options.lint === false ? [] : await lintUnit(unit, chosen);
  const results: SimResult[] = [];
  for (const simulator of chosen) results.push(await simulate(unit, simulator));
  return {
    passed: lint.every((result) => result.status === "clean") && results.every((result) => result.passed),
    lint,
    results,
  };
}
