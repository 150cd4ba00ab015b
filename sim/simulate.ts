import { mkdtempSync, readdirSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { processExists, releaseTemporary, removeBestEffort, trackTemporary } from "../gen/output/write.js";
import { parseTestbench } from "./testbench.js";
import { type RunOutput, findTool, firstErrorLine, howItEnded, requireTool, run } from "./tools.js";
import type { SimResult, Simulator } from "./types.js";
import { type UnitOnDisk, unitFileName } from "./unit.js";

// Where gen/synth finds the unit reader.
export { type UnitOnDisk, readUnit } from "./unit.js";

/**
 * How long a testbench may run before it is stopped and FAILs: a minute, plus 200 us per
 * vector and pipeline stage, some 30 times what Icarus Verilog (the slower simulator)
 * takes per vector on the 2-core development machine. Only a testbench that never ends
 * (edited by hand) comes near it.
 */
export function simulationTimeoutSeconds(unit: UnitOnDisk): number {
  return Math.ceil(60 + unit.vectorCount * (1 + unit.latency) * 2e-4);
}

/**
 * Builds and runs the unit's testbench in one simulator, in a scratch directory. The
 * simulators run in the unit directory, so the testbench is given the vectors' plain file
 * name (the one the manifest names), whatever the directory's path: a long one, or one
 * with non-ASCII characters or a newline, which Icarus' $readmemh refuses.
 */
export async function simulate(
  unit: UnitOnDisk,
  simulator: Simulator,
  options: { timeoutSeconds?: number } = {},
): Promise<SimResult> {
  removeStaleScratch();
  const scratch = mkdtempSync(join(tmpdir(), `pwlgen-${simulator}-${process.pid}-`));
  trackTemporary(scratch);
  const started = performance.now();
  const timeoutSeconds = options.timeoutSeconds ?? simulationTimeoutSeconds(unit);
  try {
    const outcome =
      simulator === "iverilog"
        ? await runIcarus(unit, scratch, timeoutSeconds)
        : simulator === "verilator"
          ? await runVerilator(unit, scratch, timeoutSeconds)
          : await runGhdl(unit, scratch, timeoutSeconds);
    const seconds = (performance.now() - started) / 1000;
    if ("output" in outcome) return parseTestbench(simulator, outcome.output, seconds);
    const failure =
      "compileError" in outcome
        ? { stage: "compile" as const, message: outcome.compileError }
        : { stage: "run" as const, message: `timed out after ${timeoutSeconds} s` };
    return { simulator, vectors: 0, mismatches: 0, passed: false, firstMismatches: [], failure, seconds };
  } finally {
    releaseTemporary(scratch);
  }
}

/**
 * A simulation either ran (its output), or its build failed (the compiler's first error
 * line), or it ran past its timeout.
 */
type Outcome = { readonly output: string } | { readonly compileError: string } | { readonly timedOut: true };

function ran(sim: RunOutput): Outcome {
  if (sim.timedOut) return { timedOut: true };
  // A crash's own error line (Verilator's "%Error: ... $readmem file syntax error") comes first.
  return { output: sim.stdout + sim.stderr + (sim.signal ? `\nthe simulation ${howItEnded(sim)}\n` : "") };
}

function buildFailure(build: RunOutput): Outcome {
  return {
    compileError: firstErrorLine(`${build.stderr}\n${build.stdout}`) ?? `the build ${howItEnded(build)}`,
  };
}

/** Scratch directories of simulations whose process was killed (kill -9 cannot be caught). */
function removeStaleScratch(): void {
  for (const entry of readdirSync(tmpdir())) {
    const match = /^pwlgen-(iverilog|verilator|ghdl|lint)-(\d+)-/.exec(entry);
    if (match && Number(match[2]) !== process.pid && !processExists(Number(match[2]))) {
      removeBestEffort(join(tmpdir(), entry));
    }
  }
}

async function runIcarus(unit: UnitOnDisk, scratch: string, timeoutSeconds: number): Promise<Outcome> {
  const iverilog = requireTool("iverilog");
  const vvp = requireTool("vvp");
  const image = join(scratch, "sim.vvp");
  const sources = [unitFileName(unit, "module"), unitFileName(unit, "testbench")];
  const build = await run(iverilog, ["-g2005", "-o", image, ...sources], {
    cwd: unit.dir,
  });
  if (build.code !== 0) return buildFailure(build);
  return ran(
    await run(vvp, ["-n", image, `+vectors=${unit.vectorsFile}`], { cwd: unit.dir, timeoutSeconds }),
  );
}

async function runVerilator(unit: UnitOnDisk, scratch: string, timeoutSeconds: number): Promise<Outcome> {
  const verilator = requireTool("verilator");
  const objDir = join(scratch, "obj");
  // ccache, when installed, makes rebuilding Verilator's runtime nearly free.
  const env = findTool("ccache") ? { ...process.env, OBJCACHE: "ccache" } : process.env;
  const build = await run(
    verilator,
    [
      "--binary",
      "-Wno-fatal",
      "-j",
      String(availableParallelism()),
      "--Mdir",
      objDir,
      "--top-module",
      `${unit.module}_tb`,
      "-o",
      "sim",
      unitFileName(unit, "module"),
      unitFileName(unit, "testbench"),
    ],
    { cwd: unit.dir, env },
  );
  if (build.code !== 0) return buildFailure(build);
  return ran(
    await run(join(objDir, "sim"), [`+vectors=${unit.vectorsFile}`], { cwd: unit.dir, timeoutSeconds }),
  );
}

/**
 * GHDL: analyse the entity and its testbench into a work library in the scratch directory
 * (VHDL-2008), then elaborate and run the testbench in the unit directory, giving it the
 * vectors' plain file name through its `vectors` generic.
 */
async function runGhdl(unit: UnitOnDisk, scratch: string, timeoutSeconds: number): Promise<Outcome> {
  const ghdl = requireTool("ghdl");
  const library = [`--std=08`, `--workdir=${scratch}`];
  const build = await run(
    ghdl,
    ["-a", ...library, unitFileName(unit, "vhdlModule"), unitFileName(unit, "vhdlTestbench")],
    { cwd: unit.dir },
  );
  if (build.code !== 0) return buildFailure(build);
  return ran(
    await run(ghdl, ["--elab-run", ...library, `${unit.module}_tb`, `-gvectors=${unit.vectorsFile}`], {
      cwd: unit.dir,
      timeoutSeconds,
    }),
  );
}
