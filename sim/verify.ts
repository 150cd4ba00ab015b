import { join } from "node:path";
import { type LintResult, lintUnit } from "./lint.js";
import { simulate } from "./simulate.js";
import { requireSimulators } from "./tools.js";
import { refuseUntrusted } from "./trust.js";
import { SIMULATORS, type SimResult, type Simulator } from "./types.js";
import { type UnitOnDisk, checkSpecHashes, readUnit, readUnitFile, requireUnitFiles } from "./unit.js";

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

export interface VerifyOptions {
  /** Lint the module first (default true). */
  readonly lint?: boolean;
  /**
   * Simulate Verilog that uses system tasks, directives or DPI imports pwlgen never emits
   * ($system, $fopen, `include, ...). Off by default: simulating a unit runs its code.
   */
  readonly trust?: boolean;
  /** Stop each testbench after this long (default: scaled from the vectors and pipeline). */
  readonly timeoutSeconds?: number;
}

/**
 * The bit-exact check of a unit directory: lint the module, then run its testbench, which
 * compares the RTL with the golden model's vectors, in each chosen simulator. Only the
 * chosen simulators are needed, for lint too. Problems with the directory (missing or
 * foreign files, files of different designs, untrusted Verilog: exit 2) and missing tools
 * (exit 3) are found before any tool runs.
 */
export async function verifyUnit(
  dir: string,
  simulators: SimulatorChoice = "all",
  options: VerifyOptions = {},
): Promise<Verification> {
  const unit = readUnit(dir);
  requireUnitFiles(unit, ["testbench", "vectors"]);
  checkSources(unit, options.trust === true);
  const chosen = chosenSimulators(simulators);
  requireSimulators(chosen);
  const lint = options.lint === false ? [] : await lintUnit(unit, chosen);
  const results: SimResult[] = [];
  for (const simulator of chosen) {
    results.push(
      await simulate(
        unit,
        simulator,
        options.timeoutSeconds === undefined ? {} : { timeoutSeconds: options.timeoutSeconds },
      ),
    );
  }
  return {
    passed: lint.every((result) => result.status === "clean") && results.every((result) => result.passed),
    lint,
    results,
  };
}

/** The vectors' header: the stamp is on the first lines, the data is not read. */
const VECTOR_HEAD_BYTES = 4096;

/** The unit's files carry its spec hash, and (unless trusted) only Verilog pwlgen writes. */
function checkSources(unit: UnitOnDisk, trust: boolean): void {
  const module = readUnitFile(unit, "module");
  const testbench = readUnitFile(unit, "testbench");
  checkSpecHashes(unit, { module, testbench, vectors: readUnitFile(unit, "vectors", VECTOR_HEAD_BYTES) });
  if (!trust) {
    refuseUntrusted([
      { name: join(unit.dir, unit.moduleFile), text: module },
      { name: join(unit.dir, unit.testbenchFile), text: testbench },
    ]);
  }
}
