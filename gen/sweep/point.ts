import { existsSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { commit, isInterrupting } from "../output/interrupt.js";
import { createDirectories } from "../output/places.js";
import { releaseTemporary, trackTemporary } from "../output/write.js";
import { generateFromSpec } from "../generate.js";
import { FILE_LIMITS, readUserFile } from "../input/files.js";
import { parseBound } from "../spec/bound.js";
import { UserError } from "../spec/errors.js";
import { specHash } from "../spec/normalize.js";
import { type SynthRecord, synthUnit } from "../synth/unit.js";
import { type TargetName, TARGETS } from "../synth/targets.js";
import { writeUnit } from "../write.js";
import type { SimulatorChoice } from "../../sim/verify.js";
import type { Mismatch } from "../../sim/testbench.js";
import type { Hdl } from "../spec/schema.js";
import { type SweepPoint, pointSpec } from "./points.js";
import type { SweepRow } from "./row.js";

/**
 * One sweep point, run to completion in its own directory (points/<key>/): generate the
 * unit (verified first if asked), synthesize it for each target, and record the row in
 * row.json. Results are cached by spec hash: a point whose row.json already has everything
 * asked for is not recomputed, and a unit that exists is only synthesized for the targets
 * it lacks. A point that cannot be met is recorded as infeasible; a failing check or tool
 * as failed. Neither stops the sweep.
 */
export interface PointTask {
  readonly point: SweepPoint;
  /** The sweep directory (absolute). */
  readonly dir: string;
  readonly verify: boolean;
  readonly simulator: SimulatorChoice;
  readonly hdl: Hdl;
  readonly synth: readonly TargetName[];
  readonly fmax: boolean;
}

export interface PointOutcome {
  readonly row: SweepRow;
  /**
   * What the point took: `generated` (its unit was built, or rebuilt), `synthesized` (its
   * unit existed; only synthesis for a newly asked target ran), or `cached` (nothing ran).
   */
  readonly work: PointWork;
}

export type PointWork = "generated" | "synthesized" | "cached";

export async function runPoint(task: PointTask): Promise<PointOutcome> {
  const { point } = task;
  const unitDir = join(task.dir, "points", point.key);
  const rowPath = join(unitDir, "row.json");
  let hash: string | null = null;
  let work: PointWork = "cached";
  try {
    const spec = pointSpec(point);
    hash = specHash(spec);
    const cached = readJson<SweepRow>(rowPath);
    let manifest = readJson<UnitManifest>(join(unitDir, "manifest.json"));
    if (cached && cached.specHash === hash && complete(cached, task) && writtenIn(manifest, task.hdl)) {
      // The point's own description wins (rows cached by earlier versions may lack a column).
      return { row: { ...cached, ...describe(point) }, work: "cached" };
    }
    if (
      !manifest ||
      manifest.specHash !== hash ||
      (task.verify && !manifest.verification) ||
      !writtenIn(manifest, task.hdl)
    ) {
      work = "generated";
      if (spec.selectBy === "yosys") await (await import("../synth/yosys.js")).prepareYosys();
      const generation = generateFromSpec(spec);
      await writeUnit(generation, {
        outDir: unitDir,
        force: true,
        verify: task.verify,
        simulator: task.simulator,
        hdl: task.hdl,
      });
      manifest = readJson<UnitManifest>(join(unitDir, "manifest.json"))!;
    }
    const missing = task.synth.filter((target) => !current(manifest!.synthesis?.[target], target, task));
    if (missing.length > 0) {
      if (work === "cached") work = "synthesized";
      await synthUnit(unitDir, missing, { fmax: task.fmax });
      manifest = readJson<UnitManifest>(join(unitDir, "manifest.json"))!;
    }
    return save(rowPath, rowFromManifest(point, manifest, task), work);
  } catch (error) {
    // Stopped by an interrupt: not a result; the supervisor is ending this thread.
    if (isInterrupting()) throw error;
    const infeasible = error instanceof UserError;
    const message = error instanceof Error ? error.message.split("\n")[0]! : String(error);
    return save(
      rowPath,
      emptyRow(point, hash, infeasible ? "infeasible" : "failed", message),
      // A point that failed before its unit existed counts as generated (it was attempted).
      work === "cached" ? "generated" : work,
    );
  }
}

/** Whether a point's unit was written in the HDL the task asks for (an infeasible point has no unit). */
function writtenIn(manifest: UnitManifest | undefined, hdl: Hdl): boolean {
  if (!manifest?.files) return true;
  return (
    (hdl !== "vhdl") === (manifest.files.module !== undefined) &&
    (hdl !== "verilog") === (manifest.files.vhdlModule !== undefined)
  );
}

function complete(row: SweepRow, task: PointTask): boolean {
  if (row.status !== "ok") return row.status === "infeasible";
  if (task.verify && row.verified === null) return false;
  return task.synth.every((target) => current(row.synth[target], target, task));
}

/**
 * Whether a target's recorded numbers answer the task: present, counted with BRAMs (older
 * versions left block RAMs out), and, with --fmax on a target nextpnr places, measured
 * with the critical path (older versions timed only the clock's own domain).
 */
function current(
  synth: { bram?: number; fmaxMHz?: number; criticalPathNs?: number; criticalPath?: unknown } | undefined,
  target: TargetName,
  task: PointTask,
): boolean {
  if (!synth || synth.bram === undefined) return false;
  const fmaxWanted = task.fmax && TARGETS[target].fmax !== undefined;
  return (
    !fmaxWanted || (synth.fmaxMHz !== undefined && (synth.criticalPath ?? synth.criticalPathNs) !== undefined)
  );
}

function save(path: string, row: SweepRow, work: PointWork): PointOutcome {
  const created = createDirectories(dirname(path));
  const temp = `${path}.${process.pid}.tmp`;
  trackTemporary(temp);
  writeFileSync(temp, `${JSON.stringify(row, null, 2)}\n`);
  commit(path, () => renameSync(temp, path));
  releaseTemporary(temp);
  created.keep();
  return { row, work };
}

/**
 * A cached row.json or manifest.json, or undefined when there is none or it is not JSON
 * (the point is then computed again). One that is not a regular file or is too large is
 * never read: the point fails with the reason (a damaged directory, not an infeasible spec).
 */
function readJson<T>(path: string): T | undefined {
  if (!existsSync(path)) return undefined;
  let text: string;
  try {
    text = readUserFile(path, { field: "sweep point", limit: FILE_LIMITS.manifest });
  } catch (error) {
    throw new Error((error as Error).message);
  }
  try {
    return JSON.parse(text) as T;
  } catch {
    return undefined;
  }
}

/** The parts of manifest.json a row reads. */
interface UnitManifest {
  specHash: string;
  function: string;
  maxErrorBound: number;
  segments: number;
  latency: number;
  errors: { max: number; mean: number; rms: number; maxUlp: number };
  coefficientFormats: { slope: { name: string; width: number }; intercept: { name: string; width: number } };
  hardware: { romBits: number; romEntries?: number; comparators: number; treeDepth: number };
  architecture?: { summary: string };
  segmentation: { symmetry: { fold: string } };
  files?: { module?: string; vhdlModule?: string };
  verification?: {
    simulator: string;
    vectors: number;
    mismatches: number;
    passed: boolean;
    firstMismatch?: Mismatch;
  }[];
  synthesis?: Record<string, SynthRecord>;
}

function rowFromManifest(point: SweepPoint, manifest: UnitManifest, task: PointTask): SweepRow {
  const verification = manifest.verification;
  const verified = verification ? verification.every((v) => v.passed) : null;
  const synth = Object.fromEntries(
    task.synth.map((target) => {
      const { lut, carry, dsp, bram, ff, fmaxMHz, criticalPath } = manifest.synthesis![target]!;
      const timing =
        fmaxMHz !== undefined && criticalPath ? { fmaxMHz, criticalPathNs: criticalPath.delayNs } : {};
      return [target, { lut, carry, dsp, bram: bram ?? 0, ff, ...timing }];
    }),
  );
  const first = task.synth[0] ? synth[task.synth[0]] : undefined;
  const failedChecks =
    verification
      ?.filter((v) => !v.passed)
      .map(
        (v) =>
          `${v.simulator}: ${v.mismatches} mismatches` +
          (v.firstMismatch
            ? `, first at input code x=0x${v.firstMismatch.x}: expected 0x${v.firstMismatch.expected}, got 0x${v.firstMismatch.got}`
            : ""),
      ) ?? [];
  return {
    ...describe(point),
    maxErrorBound: manifest.maxErrorBound,
    status: verified === false ? "failed" : "ok",
    message: failedChecks.join("; "),
    segments: manifest.segments,
    fold: manifest.segmentation.symmetry.fold,
    errorsMax: manifest.errors.max,
    errorsMean: manifest.errors.mean,
    errorsRms: manifest.errors.rms,
    errorsMaxUlp: manifest.errors.maxUlp,
    slopeFormat: manifest.coefficientFormats.slope.name,
    interceptFormat: manifest.coefficientFormats.intercept.name,
    slopeBits: manifest.coefficientFormats.slope.width,
    interceptBits: manifest.coefficientFormats.intercept.width,
    romBits: manifest.hardware.romBits,
    romEntries: manifest.hardware.romEntries ?? manifest.segments,
    architecture: manifest.architecture?.summary ?? null,
    comparators: manifest.hardware.comparators,
    treeDepth: manifest.hardware.treeDepth,
    latency: manifest.latency,
    verified,
    lut: first?.lut ?? null,
    carry: first?.carry ?? null,
    dsp: first?.dsp ?? null,
    bram: first?.bram ?? null,
    ff: first?.ff ?? null,
    fmax: first?.fmaxMHz ?? null,
    synth,
    specHash: manifest.specHash,
    unit: `points/${point.key}`,
  };
}

function describe(
  point: SweepPoint,
): Pick<
  SweepRow,
  | "index"
  | "function"
  | "method"
  | "target"
  | "symmetry"
  | "in"
  | "out"
  | "pipeline"
  | "rounding"
  | "exactZero"
  | "segmentBudget"
  | "spec"
> {
  const spec = point.spec as Record<string, unknown>;
  return {
    index: point.index,
    function: String(spec.function),
    method: String(spec.method),
    target: point.target,
    symmetry: String(spec.symmetry),
    in: String(spec.in),
    out: String(spec.out),
    pipeline: Number(spec.pipeline),
    rounding: String(spec.rounding),
    exactZero: spec.exactZero === true,
    segmentBudget: spec.segments === undefined ? null : Number(spec.segments),
    spec: Object.fromEntries(
      Object.entries(spec).map(([key, value]) => [key, typeof value === "boolean" ? value : String(value)]),
    ),
  };
}

function emptyRow(
  point: SweepPoint,
  hash: string | null,
  status: "infeasible" | "failed",
  message: string,
): SweepRow {
  const spec = point.spec as Record<string, unknown>;
  const bound = spec.maxError === undefined ? undefined : parseBound(String(spec.maxError));
  const asked = bound?.kind === "absolute" ? bound.value : null;
  return {
    ...describe(point),
    maxErrorBound: asked,
    status,
    message,
    segments: null,
    fold: null,
    errorsMax: null,
    errorsMean: null,
    errorsRms: null,
    errorsMaxUlp: null,
    slopeFormat: null,
    interceptFormat: null,
    slopeBits: null,
    interceptBits: null,
    romBits: null,
    romEntries: null,
    architecture: null,
    comparators: null,
    treeDepth: null,
    latency: Number(spec.pipeline),
    verified: null,
    lut: null,
    carry: null,
    dsp: null,
    bram: null,
    ff: null,
    fmax: null,
    synth: {},
    specHash: hash,
    unit: `points/${point.key}`,
  };
}
