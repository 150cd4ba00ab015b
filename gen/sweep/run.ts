import { existsSync, readdirSync, renameSync, statSync, writeFileSync } from "node:fs";
import { type FileLimit, FILE_LIMITS, readUserFile } from "../input/files.js";
import { readSmallFile, releaseTemporary, trackTemporary } from "../output/write.js";
import { type Lock, lockDirectory } from "../output/lock.js";
import { createDirectories, outputPlace } from "../output/places.js";
import {
  announceStaging,
  commit,
  isInterrupting,
  setInterruptNote,
  supervisorControl,
  waitForExit,
} from "../output/interrupt.js";
import { join } from "node:path";
import { Piscina } from "piscina";
import { PACKAGE_ROOT, TOOL_NAME } from "../paths.js";
import { sweepPlots } from "../plot/sweep.js";
import { explorerPage } from "./explorer.js";
import { EXPLORER_FILE, MARKER } from "./names.js";
import { UserError } from "../spec/errors.js";
import { canonicalHash } from "../spec/load.js";
import { specHash } from "../spec/normalize.js";
import { type PointOutcome, type PointTask, type PointWork, runPoint } from "./point.js";
import { type SweepPoint, pointSpec, sweepPoints } from "./points.js";
import { type SweepRow, toCsv } from "./row.js";
import type { SweepOptions } from "./schema.js";
import type { TargetName } from "../synth/targets.js";

/**
 * Runs a sweep: every point (or a shard of them) on a pool of worker threads, each point
 * cached in its own directory, then sweep.json, sweep.csv, the plots and index.html. Rerunning the same
 * sweep, or resuming an interrupted one, recomputes only what is missing.
 */
export interface SweepProgress {
  start(total: number): void;
  point(outcome: PointOutcome, done: number, total: number): void;
  stop(): void;
}

export interface SweepSummary {
  readonly rows: readonly SweepRow[];
  /** How many points took each kind of work. */
  readonly work: Readonly<Record<PointWork, number>>;
  readonly files: readonly string[];
}

export { MARKER };
const WORKER = join(PACKAGE_ROOT, "dist", "gen", "sweep", "worker.js");

export async function runSweep(options: SweepOptions, progress?: SweepProgress): Promise<SweepSummary> {
  const { points, total } = sweepPoints(options);
  refuseRepeatedDesigns(points);
  const { dir, lock } = claimDirectory(options.outDir, options.force, {
    shard: options.shard ?? "1/1",
    points: total,
    sweep: sweepHash(options),
  });
  try {
    return await runClaimed(dir, options, points, progress);
  } finally {
    // After an interrupt the thread is ended before this runs; the supervisor removes the lock.
    lock.release();
  }
}

async function runClaimed(
  dir: string,
  options: SweepOptions,
  points: readonly SweepPoint[],
  progress: SweepProgress | undefined,
): Promise<SweepSummary> {
  announceStaging(join(dir, "points"));
  setInterruptNote("finished sweep points are kept; run the same command again to resume");
  const tasks: PointTask[] = points.map((point) => ({
    point,
    dir,
    verify: options.verify,
    simulator: options.simulator ?? "all",
    hdl: options.hdl,
    synth: (options.synth ?? []) as TargetName[],
    fmax: options.fmax,
  }));
  progress?.start(tasks.length);
  let done = 0;
  const report = (outcome: PointOutcome): PointOutcome => {
    progress?.point(outcome, ++done, tasks.length);
    return outcome;
  };
  let outcomes: PointOutcome[];
  if (options.jobs <= 1 || tasks.length <= 1 || !existsSync(WORKER)) {
    outcomes = [];
    for (const task of tasks) outcomes.push(report(await runPoint(task)));
  } else {
    const pool = new Piscina({
      filename: WORKER,
      maxThreads: Math.min(options.jobs, tasks.length),
      minThreads: 1,
      workerData: { control: supervisorControl() },
    });
    try {
      outcomes = await Promise.all(tasks.map(async (task) => report((await pool.run(task)) as PointOutcome)));
    } catch (error) {
      // A point refused to commit after an interrupt: the supervisor is ending this thread.
      if (isInterrupting()) return waitForExit();
      throw error;
    } finally {
      if (!isInterrupting()) await pool.destroy();
    }
  }
  progress?.stop();
  const rows = outcomes.map((o) => o.row).sort((a, b) => a.index - b.index);
  const files = await writeSweepFiles(dir, rows, options.synth ?? []);
  return {
    rows,
    work: {
      generated: outcomes.filter((o) => o.work === "generated").length,
      synthesized: outcomes.filter((o) => o.work === "synthesized").length,
      cached: outcomes.filter((o) => o.work === "cached").length,
    },
    files,
  };
}

/** sweep.json (an array of rows), sweep.csv, the plots and the explorer page (index.html). */
export async function sweepFiles(
  rows: readonly SweepRow[],
  targets: readonly string[],
): Promise<Map<string, string>> {
  return new Map<string, string>([
    ["sweep.json", `${JSON.stringify(rows, null, 2)}\n`],
    ["sweep.csv", toCsv(rows, targets)],
    ...(await sweepPlots(rows, targets)),
    [EXPLORER_FILE, explorerPage(rows, targets)],
  ]);
}

/** Writes the sweep's files into its directory, each renamed into place once all are written. */
async function writeSweepFiles(
  dir: string,
  rows: readonly SweepRow[],
  targets: readonly string[],
): Promise<string[]> {
  const files = await sweepFiles(rows, targets);
  const temporary = [...files].map(([name, contents]) => {
    const temp = join(dir, `.${name}.${TOOL_NAME}-${process.pid}.tmp`);
    trackTemporary(temp);
    writeFileSync(temp, contents);
    return [temp, join(dir, name)] as const;
  });
  commit(dir, () => temporary.forEach(([temp, path]) => renameSync(temp, path)));
  temporary.forEach(([temp]) => releaseTemporary(temp));
  return [...files.keys()];
}

/** What a sweep directory's marker records: which slice of how many points of which sweep. */
export interface SweepMarker {
  readonly shard: string;
  readonly points: number;
  /** Hash of the sweep's options, the shard and where and how it ran aside. */
  readonly sweep: string;
}

function sweepHash(options: SweepOptions): string {
  return canonicalHash({
    ...options,
    simulator: options.simulator ?? "all",
    // Added later: at its default it is left out, so earlier sweep directories still resume.
    exactZero: options.exactZero || undefined,
    hdl: options.hdl === "verilog" ? undefined : options.hdl,
    selectBy: options.selectBy === "estimate" ? undefined : options.selectBy,
    // Where the report goes does not change the sweep.
    junit: undefined,
    shard: undefined,
    jobs: undefined,
    outDir: undefined,
    force: undefined,
    yes: undefined,
  });
}

/**
 * Two points that are the same design (a bound in ulps and the same bound written in real
 * units, say) would be computed twice and give two identical rows: refused.
 */
function refuseRepeatedDesigns(points: readonly SweepPoint[]): void {
  const seen = new Map<string, string>();
  for (const point of points) {
    let hash: string;
    try {
      hash = specHash(pointSpec(point));
    } catch {
      continue; // an infeasible point is recorded in its row
    }
    const first = seen.get(hash);
    if (first !== undefined) {
      throw new UserError(
        "sweep",
        `${first} and ${point.key}`,
        "are the same design; give each bound or format once",
      );
    }
    seen.set(hash, point.key);
  }
}

/**
 * A sweep directory is new, empty, or made by pwlgen (its marker file), unless --force;
 * the marker records the shard, for merge. The directory stays locked while the sweep runs.
 */
function claimDirectory(given: string, force: boolean, marker: SweepMarker): { dir: string; lock: Lock } {
  const place = outputPlace(given);
  const dir = place.path;
  if (place.exists && !force) {
    const verdict = sweepOwnership(dir);
    if (verdict !== true)
      throw new UserError("--out-dir", given, `${verdict}; choose another or pass --force`);
  }
  const created = createDirectories(dir, "--out-dir", given);
  let lock: Lock;
  try {
    lock = lockDirectory(dir, given);
  } catch (error) {
    created.remove();
    throw error;
  }
  try {
    const temp = join(dir, `${MARKER}.${TOOL_NAME}-${process.pid}.tmp`);
    trackTemporary(temp);
    writeFileSync(temp, markerText(marker));
    commit(given, () => renameSync(temp, join(dir, MARKER)));
    releaseTemporary(temp);
  } catch (error) {
    lock.release();
    created.remove();
    throw error;
  }
  created.keep();
  return { dir, lock };
}

export function markerText(marker: SweepMarker): string {
  return `${JSON.stringify({ tool: TOOL_NAME, kind: "sweep", ...marker })}\n`;
}

/** What a sweep directory holds besides its marker: files it writes, and points/. */
const SWEEP_ENTRIES = /^(sweep\.(json|csv)|index\.html|[\w-]+\.svg|points)$/;

/**
 * Whether an existing directory is a sweep's (true), or why not: empty, or holding a
 * marker of pwlgen sweep; merge, which replaces its output whole, also asks that nothing
 * else is there.
 */
export function sweepOwnership(dir: string, strict = false): true | string {
  const entries = readdirSync(dir);
  if (entries.length === 0) return true;
  const text = readSmallFile(join(dir, MARKER), FILE_LIMITS.manifest);
  let ours = false;
  try {
    const data = JSON.parse(text ?? "") as { tool?: unknown; kind?: unknown };
    ours = data.tool === TOOL_NAME && data.kind === "sweep";
  } catch {
    ours = false;
  }
  if (!ours) return `exists and is not a ${TOOL_NAME} sweep directory`;
  const extra = entries.filter((name) => name !== MARKER && !SWEEP_ENTRIES.test(name));
  if (strict && extra.length > 0) {
    return `holds files ${TOOL_NAME} sweep did not write (${extra.sort().slice(0, 3).join(", ")})`;
  }
  return true;
}

/** A sweep directory's marker and rows (for merge). */
export function readSweep(dir: string): { marker: Partial<SweepMarker>; rows: SweepRow[] } {
  const path = join(dir, "sweep.json");
  if (!existsSync(path) || !statSync(dir).isDirectory())
    throw new UserError("DIR", dir, "has no sweep.json; give directories written by pwlgen sweep");
  const read = (file: string, limit: FileLimit): unknown => {
    const text = readUserFile(join(dir, file), { field: "DIR", limit });
    try {
      return JSON.parse(text);
    } catch {
      throw new UserError(
        "DIR",
        dir,
        `is not a complete ${TOOL_NAME} sweep directory (${file} is not valid JSON)`,
      );
    }
  };
  const marker = read(MARKER, FILE_LIMITS.manifest) as Partial<SweepMarker>;
  const rows = read("sweep.json", FILE_LIMITS.sweep);
  if (!Array.isArray(rows))
    throw new UserError("DIR", dir, `has a sweep.json that is not a list of rows; run the sweep again`);
  // Merge copies each row's point directory: it must be one of the sweep's own, points/<key>.
  rows.forEach((row: Partial<SweepRow> | null, i) => {
    const unit = row?.unit;
    if (unit !== undefined && (typeof unit !== "string" || !/^points\/[A-Za-z0-9_-]+$/.test(unit)))
      throw new UserError(
        `${path}: [${i}].unit`,
        unit,
        "is not a point directory of the sweep (points/<key>)",
      );
  });
  return { marker, rows: rows as SweepRow[] };
}

export type { SweepPoint };
