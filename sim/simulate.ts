import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { processExists, releaseTemporary, trackTemporary } from "../gen/output/write.js";
import { UserError } from "../gen/spec/errors.js";
import { parseTestbench } from "./testbench.js";
import { findTool, requireTool, run } from "./tools.js";
import type { SimResult, Simulator } from "./types.js";

/** What a simulator needs from a unit directory, read from its manifest.json. */
export interface UnitOnDisk {
  readonly dir: string;
  readonly module: string;
  readonly moduleFile: string;
  readonly testbenchFile: string;
  readonly vectorsFile: string;
}

export function readUnit(dir: string): UnitOnDisk {
  const path = join(dir, "manifest.json");
  let data: { module?: string; files?: { module?: string; testbench?: string; vectors?: string } };
  try {
    data = JSON.parse(readFileSync(path, "utf8")) as typeof data;
  } catch {
    throw new UserError("DIR", dir, "has no readable manifest.json; give a directory written by pwlgen gen");
  }
  const { module, files } = data;
  if (!module || !files?.module || !files.testbench || !files.vectors) {
    throw new UserError(
      "DIR",
      dir,
      "has a manifest.json without module and files; regenerate it with pwlgen gen",
    );
  }
  return {
    dir: resolve(dir),
    module,
    moduleFile: files.module,
    testbenchFile: files.testbench,
    vectorsFile: files.vectors,
  };
}

/** Builds and runs the unit's testbench in one simulator, in a scratch directory. */
export async function simulate(unit: UnitOnDisk, simulator: Simulator): Promise<SimResult> {
  removeStaleScratch();
  const scratch = mkdtempSync(join(tmpdir(), `pwlgen-${simulator}-${process.pid}-`));
  trackTemporary(scratch);
  const started = performance.now();
  try {
    const output =
      simulator === "iverilog" ? await runIcarus(unit, scratch) : await runVerilator(unit, scratch);
    return parseTestbench(simulator, output, (performance.now() - started) / 1000);
  } finally {
    releaseTemporary(scratch);
  }
}

/** Scratch directories of simulations whose process was killed (kill -9 cannot be caught). */
function removeStaleScratch(): void {
  for (const entry of readdirSync(tmpdir())) {
    const match = /^pwlgen-(iverilog|verilator)-(\d+)-/.exec(entry);
    if (match && Number(match[2]) !== process.pid && !processExists(Number(match[2]))) {
      rmSync(join(tmpdir(), entry), { recursive: true, force: true });
    }
  }
}

async function runIcarus(unit: UnitOnDisk, scratch: string): Promise<string> {
  const iverilog = requireTool("iverilog");
  const vvp = requireTool("vvp");
  const image = join(scratch, "sim.vvp");
  const build = await run(iverilog, ["-g2005", "-o", image, unit.moduleFile, unit.testbenchFile], {
    cwd: unit.dir,
  });
  if (build.code !== 0) return `BUILD FAILED\n${build.stderr}`;
  const sim = await run(vvp, ["-n", image, `+vectors=${join(unit.dir, unit.vectorsFile)}`], {
    cwd: unit.dir,
  });
  return sim.stdout + sim.stderr;
}

async function runVerilator(unit: UnitOnDisk, scratch: string): Promise<string> {
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
  if (build.code !== 0) return `BUILD FAILED\n${build.stderr}`;
  const sim = await run(join(objDir, "sim"), [`+vectors=${join(unit.dir, unit.vectorsFile)}`], {
    cwd: unit.dir,
  });
  return sim.stdout + sim.stderr;
}
