import { join } from "node:path";
import { type LintResult, lintUnit } from "./lint.js";
import { simulate } from "./simulate.js";
import { requireSimulators } from "./tools.js";
import { refuseUntrusted } from "./trust.js";
import { SIMULATORS, type SimResult, type Simulator } from "./types.js";
import { UserError } from "../gen/spec/errors.js";
import { type JunitCase, junitXml, simulationCase } from "./junit.js";
import {
  type Role,
  type UnitOnDisk,
  checkSpecHashes,
  readUnit,
  readUnitFile,
  requireUnitFiles,
  unitFileName,
} from "./unit.js";

export interface Verification {
  /** The unit's module name. */
  readonly module: string;
  /** Every lint and every simulation passed. */
  readonly passed: boolean;
  readonly lint: readonly LintResult[];
  readonly results: readonly SimResult[];
}

export type SimulatorChoice = Simulator | "all";

/**
 * The simulators a choice runs on a unit with the given ones available: all of those, or
 * the one chosen (refused, naming --simulator, when the unit lacks its HDL).
 */
export function chosenSimulators(
  choice: SimulatorChoice,
  available: readonly Simulator[] = SIMULATORS,
): readonly Simulator[] {
  if (choice === "all") return available;
  if (!available.includes(choice)) {
    throw new UserError(
      "--simulator",
      choice,
      choice === "ghdl"
        ? "simulates the unit's VHDL, and this unit has none (it was generated without --hdl vhdl or both)"
        : "simulates the unit's Verilog, and this unit has none (it was generated with --hdl vhdl)",
    );
  }
  return [choice];
}

/** The simulators that can run a unit: Icarus and Verilator for its Verilog, GHDL for its VHDL. */
export function unitSimulators(unit: UnitOnDisk): readonly Simulator[] {
  return SIMULATORS.filter((simulator) =>
    simulator === "ghdl" ? unit.vhdlModuleFile !== undefined : unit.moduleFile !== undefined,
  );
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
  const chosen = chosenSimulators(simulators, unitSimulators(unit));
  const verilog = chosen.some((simulator) => simulator !== "ghdl");
  const vhdl = chosen.includes("ghdl");
  requireUnitFiles(unit, [
    ...(verilog ? (["module", "testbench"] as const) : []),
    ...(vhdl ? (["vhdlModule", "vhdlTestbench"] as const) : []),
    "vectors",
  ]);
  checkSources(unit, { verilog, vhdl }, options.trust === true);
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
    module: unit.module,
    passed: lint.every((result) => result.status === "clean") && results.every((result) => result.passed),
    lint,
    results,
  };
}

/** The vectors' header: the stamp is on the first lines, the data is not read. */
const VECTOR_HEAD_BYTES = 4096;

/** The sources a run reads carry the unit's spec hash, and (unless trusted) only what pwlgen writes. */
function checkSources(unit: UnitOnDisk, hdls: { verilog: boolean; vhdl: boolean }, trust: boolean): void {
  const roles: Role[] = [
    ...(hdls.verilog ? (["module", "testbench"] as const) : []),
    ...(hdls.vhdl ? (["vhdlModule", "vhdlTestbench"] as const) : []),
  ];
  const texts = Object.fromEntries(roles.map((role) => [role, readUnitFile(unit, role)]));
  checkSpecHashes(unit, { ...texts, vectors: readUnitFile(unit, "vectors", VECTOR_HEAD_BYTES) });
  if (!trust) {
    refuseUntrusted(
      roles.map((role) => ({ name: join(unit.dir, unitFileName(unit, role)), text: texts[role]! })),
    );
  }
}

/** A verification as a JUnit report: one suite per unit, a testcase per lint and per simulator. */
export function verificationJunit(verification: Verification): string {
  const m = verification.module;
  const cases: JunitCase[] = [
    ...verification.lint.map((result): JunitCase => ({
      name: `lint ${result.tool}`,
      classname: `${m}.lint`,
      ...(result.status === "clean"
        ? {}
        : {
            failure: {
              type: result.status,
              message: `${result.command}: ${result.messages[0] ?? result.status}`,
              text: result.messages.join("\n"),
            },
          }),
    })),
    ...verification.results.map((result) => simulationCase(m, result)),
  ];
  return junitXml(`pwlgen sim ${m}`, [{ name: m, cases }]);
}
