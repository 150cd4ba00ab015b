import type { Generation } from "./generate.js";
import { checkReplaceable, stageDirectory } from "./output/write.js";
import { defaultOutputDir } from "./output/places.js";
import { type Unit, type UnitOptions, renderDocuments, renderUnit } from "./unit.js";
import { type SimulatorChoice, type Verification, verifyUnit } from "../sim/verify.js";

export interface WriteOptions extends UnitOptions {
  /** Default rtl-out/<module> in the project (see defaultOutputDir). */
  readonly outDir?: string;
  /** Replace a directory pwlgen did not make. */
  readonly force?: boolean;
  /** Lint and simulate before the directory is committed; results go into manifest and report. */
  readonly verify?: boolean;
  readonly simulator?: SimulatorChoice;
  /** With verify: lint the module first (default true). */
  readonly lint?: boolean;
}

export interface Written {
  readonly dir: string;
  readonly unit: Unit;
  readonly verification?: Verification;
}

/**
 * Renders a generation and writes it atomically (see output/write.ts). With verify, the
 * simulators run on the staged files first; a failed check still writes the (complete)
 * unit so it can be debugged, and `verification.passed` says so. A missing simulator
 * aborts and writes nothing.
 */
export async function writeUnit(generation: Generation, options: WriteOptions = {}): Promise<Written> {
  const dir = options.outDir ?? defaultOutputDir(generation.design.module);
  const force = options.force ?? false;
  checkReplaceable(dir, force);
  const unit = await renderUnit(generation, undefined, {
    ...(options.hdl ? { hdl: options.hdl } : {}),
    ...(options.exports ? { exports: options.exports } : {}),
  });
  const staged = stageDirectory(dir, unit.files, { force });
  try {
    let verification: Verification | undefined;
    if (options.verify) {
      verification = await verifyUnit(staged.path, options.simulator ?? "all", {
        lint: options.lint ?? true,
      });
      for (const [name, contents] of renderDocuments(
        generation,
        unit.names,
        unit.vectors,
        verification.results,
      )) {
        staged.write(name, contents);
      }
    }
    staged.commit();
    return { dir, unit, ...(verification ? { verification } : {}) };
  } catch (error) {
    staged.discard();
    throw error;
  }
}
