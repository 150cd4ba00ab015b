import {
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  renameSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { checkCreatable, trackWorkerStaging } from "../output/write.js";
import { childrenManaged, isInterrupting, onInterrupt, waitForExit } from "../output/interrupt.js";
import { join, resolve } from "node:path";
import { Piscina } from "piscina";
import { PACKAGE_ROOT, TOOL_NAME } from "../paths.js";
import { sweepPlots } from "../plot/sweep.js";
import { UserError } from "../spec/errors.js";
import { canonicalHash } from "../spec/load.js";
import { specHash } from "../spec/normalize.js";
import { type PointOutcome, type PointTask, type PointWork, runPoint } from "./point.js";
import { type SweepPoint, pointSpec, sweepPoints } from "./points.js";
import { type SweepRow, toCsv } from "./row.js";
import type { SweepOptions } from "./schema.js";
import type { SynthTarget } from "../synth/yosys.js";

/**
 * Runs a sweep: every point (or a shard of them) on a pool of worker threads, each point
 * cached in its own directory, then sweep.json, sweep.csv and the plots. Rerunning the same
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

const MARKER = ".pwlgen-sweep.json";
const WORKER = join(PACKAGE_ROOT, "dist", "gen", "sweep", "worker.js");

export async function runSweep(options: SweepOptions, progress?: SweepProgress): Promise<SweepSummary> {
  const dir = resolve(options.outDir);
  const { points, total } = sweepPoints(options);
  refuseRepeatedDesigns(points);
  claimDirectory(
    dir,
    options.force,
    { shard: options.shard ?? "1/1", points: total, sweep: sweepHash(options) },
    options.outDir,
  );
  trackWorkerStaging(join(dir, "points"));
  const tasks: PointTask[] = points.map((point) => ({
    point,
    dir,
    verify: options.verify,
    simulator: options.simulator ?? "all",
    synth: (options.synth ?? []) as SynthTarget[],
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
      workerData: { manageChildren: childrenManaged() },
    });
    // On interrupt, the workers stop before their temporary directories are removed.
    const forget = onInterrupt(() => pool.destroy());
    try {
      outcomes = await Promise.all(tasks.map(async (task) => report((await pool.run(task)) as PointOutcome)));
    } catch (error) {
      // Stopping the pool on interrupt fails the points in flight: no error to report.
      if (isInterrupting()) return waitForExit();
      throw error;
    } finally {
      forget();
      // On interrupt the pool is being destroyed already; a second destroy would start a new worker.
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

/** sweep.json (an array of rows), sweep.csv and the plots, each written atomically. */
export async function writeSweepFiles(
  dir: string,
  rows: readonly SweepRow[],
  targets: readonly string[],
): Promise<string[]> {
  const files = new Map<string, string>([
    ["sweep.json", `${JSON.stringify(rows, null, 2)}\n`],
    ["sweep.csv", toCsv(rows, targets)],
    ...(await sweepPlots(rows, targets)),
  ]);
  for (const [name, contents] of files) {
    const temp = join(dir, `.${name}.${process.pid}.tmp`);
    writeFileSync(temp, contents);
    renameSync(temp, join(dir, name));
  }
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
 * the marker records the shard, for merge.
 */
export function claimDirectory(dir: string, force: boolean, marker: SweepMarker, given: string = dir): void {
  checkCreatable(given);
  if (existsSync(dir) && !existsSync(join(dir, MARKER)) && readdirSync(dir).length > 0 && !force) {
    throw new UserError(
      "--out-dir",
      given,
      `exists and is not a ${TOOL_NAME} sweep directory; choose another or pass --force`,
    );
  }
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, MARKER), `${JSON.stringify({ tool: TOOL_NAME, kind: "sweep", ...marker })}\n`);
}

/** A sweep directory's marker and rows (for merge). */
export function readSweep(dir: string): { marker: Partial<SweepMarker>; rows: SweepRow[] } {
  const path = join(dir, "sweep.json");
  if (!existsSync(path) || !statSync(dir).isDirectory())
    throw new UserError("DIR", dir, "has no sweep.json; give directories written by pwlgen sweep");
  try {
    const marker = JSON.parse(readFileSync(join(dir, MARKER), "utf8")) as Partial<SweepMarker>;
    return { marker, rows: JSON.parse(readFileSync(path, "utf8")) as SweepRow[] };
  } catch {
    throw new UserError(
      "DIR",
      dir,
      `is not a complete ${TOOL_NAME} sweep directory (sweep.json or ${MARKER} unreadable)`,
    );
  }
}

export type { SweepPoint };
