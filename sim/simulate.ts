import { existsSync, mkdtempSync, readFileSync, readdirSync, statSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { z } from "zod";
import { processExists, releaseTemporary, removeBestEffort, trackTemporary } from "../gen/output/write.js";
import { UserError } from "../gen/spec/errors.js";
import { parseTestbench } from "./testbench.js";
import { type RunOutput, findTool, firstErrorLine, requireTool, run } from "./tools.js";
import type { SimResult, Simulator } from "./types.js";

/** What a simulator needs from a unit directory, read from its manifest.json. */
export interface UnitOnDisk {
  readonly dir: string;
  readonly module: string;
  readonly moduleFile: string;
  readonly testbenchFile: string;
  readonly vectorsFile: string;
}

/** The part of manifest.json that locates a unit's files (the rest is for other readers). */
const manifestFiles = z.object({
  module: z.string().min(1),
  files: z.object({
    module: z.string().min(1),
    testbench: z.string().min(1),
    vectors: z.string().min(1),
  }),
});

/**
 * A unit directory written by pwlgen gen, with its module file present (every reader
 * needs it). Any problem is a one-line UserError naming the directory or the file.
 */
export function readUnit(dir: string): UnitOnDisk {
  const root = resolve(dir);
  if (!existsSync(root)) throw new UserError("DIR", dir, "does not exist");
  if (!statSync(root).isDirectory()) {
    throw new UserError("DIR", dir, "is not a directory; give a directory written by pwlgen gen");
  }
  const path = join(root, "manifest.json");
  if (!existsSync(path)) {
    throw new UserError("DIR", dir, "has no manifest.json, so it is not a unit written by pwlgen gen");
  }
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(path, "utf8"));
  } catch {
    throw new UserError(
      "DIR",
      dir,
      "has a manifest.json that is not valid JSON; regenerate it with pwlgen gen",
    );
  }
  const parsed = manifestFiles.safeParse(data);
  if (!parsed.success) {
    throw new UserError(
      "DIR",
      dir,
      "has a manifest.json without module and files; regenerate it with pwlgen gen",
    );
  }
  const { module, files } = parsed.data;
  const unit = {
    dir: root,
    module,
    moduleFile: files.module,
    testbenchFile: files.testbench,
    vectorsFile: files.vectors,
  };
  requireUnitFiles(unit, ["module"]);
  return unit;
}

const ROLES = { module: "moduleFile", testbench: "testbenchFile", vectors: "vectorsFile" } as const;

/** Refuses a unit whose manifest names a file that is not there (deleted or renamed by hand). */
export function requireUnitFiles(unit: UnitOnDisk, roles: readonly (keyof typeof ROLES)[]): void {
  for (const role of roles) {
    const path = join(unit.dir, unit[ROLES[role]]);
    if (!existsSync(path) || !statSync(path).isFile()) {
      throw new UserError(
        "DIR",
        unit.dir,
        `has no ${unit[ROLES[role]]} (the ${role} file its manifest.json names); regenerate the unit with pwlgen gen`,
      );
    }
  }
}

/** Builds and runs the unit's testbench in one simulator, in a scratch directory. */
export async function simulate(unit: UnitOnDisk, simulator: Simulator): Promise<SimResult> {
  removeStaleScratch();
  const scratch = mkdtempSync(join(tmpdir(), `pwlgen-${simulator}-${process.pid}-`));
  trackTemporary(scratch);
  const started = performance.now();
  try {
    const outcome =
      simulator === "iverilog" ? await runIcarus(unit, scratch) : await runVerilator(unit, scratch);
    const seconds = (performance.now() - started) / 1000;
    if ("output" in outcome) return parseTestbench(simulator, outcome.output, seconds);
    return {
      simulator,
      vectors: 0,
      mismatches: 0,
      passed: false,
      firstMismatches: [],
      failure: { stage: "compile", message: outcome.compileError },
      seconds,
    };
  } finally {
    releaseTemporary(scratch);
  }
}

/** A simulation either ran (its output) or its build failed (the compiler's first error line). */
type Outcome = { readonly output: string } | { readonly compileError: string };

function buildFailure(build: RunOutput): Outcome {
  return {
    compileError:
      firstErrorLine(`${build.stderr}\n${build.stdout}`) ?? `the build exited with code ${build.code}`,
  };
}

/** Scratch directories of simulations whose process was killed (kill -9 cannot be caught). */
function removeStaleScratch(): void {
  for (const entry of readdirSync(tmpdir())) {
    const match = /^pwlgen-(iverilog|verilator)-(\d+)-/.exec(entry);
    if (match && Number(match[2]) !== process.pid && !processExists(Number(match[2]))) {
      removeBestEffort(join(tmpdir(), entry));
    }
  }
}

async function runIcarus(unit: UnitOnDisk, scratch: string): Promise<Outcome> {
  const iverilog = requireTool("iverilog");
  const vvp = requireTool("vvp");
  const image = join(scratch, "sim.vvp");
  const build = await run(iverilog, ["-g2005", "-o", image, unit.moduleFile, unit.testbenchFile], {
    cwd: unit.dir,
  });
  if (build.code !== 0) return buildFailure(build);
  const sim = await run(vvp, ["-n", image, `+vectors=${join(unit.dir, unit.vectorsFile)}`], {
    cwd: unit.dir,
  });
  return { output: sim.stdout + sim.stderr };
}

async function runVerilator(unit: UnitOnDisk, scratch: string): Promise<Outcome> {
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
      unit.moduleFile,
      unit.testbenchFile,
    ],
    { cwd: unit.dir, env },
  );
  if (build.code !== 0) return buildFailure(build);
  const sim = await run(join(objDir, "sim"), [`+vectors=${join(unit.dir, unit.vectorsFile)}`], {
    cwd: unit.dir,
  });
  return { output: sim.stdout + sim.stderr };
}
