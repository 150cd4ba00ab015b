import cliProgress from "cli-progress";
import { counted } from "../text.js";
import { type JunitCase, checkJunitPath, junitXml, writeJunit } from "../../sim/junit.js";
import type { SweepRow } from "../sweep/row.js";
import { defaultOutputDir } from "../output/places.js";
import { stdoutIsTTY, terminalStream } from "../terminal.js";
import { showReal } from "../spec/bound.js";
import { commandOptions } from "../spec/cli-options.js";
import { mergeSweeps } from "../sweep/merge.js";
import type { PointOutcome } from "../sweep/point.js";
import { type SweepProgress, type SweepSummary, runSweep } from "../sweep/run.js";
import { sweepSize } from "../sweep/points.js";
import { MAX_SWEEP_POINTS, parseShard, sweepDependents, sweepSchema, sweepShape } from "../sweep/schema.js";

/** `pwlgen sweep`: runs a sweep with a progress bar on a terminal and plain lines otherwise. */
export async function sweepCommand(argv: Record<string, unknown>): Promise<number> {
  const options = commandOptions(sweepSchema, sweepShape, argv, sweepDependents);
  // A report that could not be written is refused before any point runs.
  if (options.junit !== undefined) checkJunitPath(options.junit);
  const started = performance.now();
  // Refused above MAX_SWEEP_POINTS without --yes, before any point is built. Up to it the
  // points are built and checked in about a second and the count is printed as they start
  // (after every refusal, so bad input still prints only its error); above it, with --yes,
  // that takes long enough to say the count at once.
  const total = sweepSize(options);
  const shard = parseShard(options.shard);
  const mine = total >= shard.index ? Math.floor((total - shard.index) / shard.count) + 1 : 0;
  const count = `sweep: ${counted(total, "point")}${shard.count > 1 ? `, ${mine} in shard ${shard.index}/${shard.count}` : ""}`;
  const early = total > MAX_SWEEP_POINTS;
  if (early) console.log(`${count}; building and checking them first`);
  const summary = await runSweep(
    options,
    stdoutIsTTY() ? barProgress() : lineProgress(early ? undefined : count),
  );
  const counts = { ok: 0, infeasible: 0, failed: 0 };
  for (const row of summary.rows) counts[row.status]++;
  console.log(
    `${counted(summary.rows.length, "point")} (${workDone(summary.work)}): ` +
      `${counts.ok} ok, ${counts.infeasible} infeasible, ${counts.failed} failed, in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
  console.log(`wrote ${options.outDir.replace(/\/+$/, "")}/ (${summary.files.join(", ")})`);
  if (options.junit !== undefined) {
    writeJunit(options.junit, sweepJunit(summary.rows));
    console.log(`wrote ${options.junit}`);
  }
  return counts.failed > 0 ? 1 : 0;
}

export async function mergeCommand(argv: Record<string, unknown>): Promise<number> {
  const dirs = (argv.dirs as string[] | undefined) ?? [];
  const outDir = typeof argv.outDir === "string" ? argv.outDir : defaultOutputDir("sweep-merged");
  const rows = await mergeSweeps(dirs, outDir, argv.force === true);
  console.log(
    `merged ${counted(dirs.length, "shard")}: ${counted(rows.length, "point")} into ${outDir.replace(/\/+$/, "")}/`,
  );
  return 0;
}

/** "12 generated, 0 from cache", with "N only synthesized" when a target was added. */
function workDone(work: SweepSummary["work"]): string {
  const only = work.synthesized > 0 ? `, ${work.synthesized} only synthesized` : "";
  return `${work.generated} generated${only}, ${work.cached} from cache`;
}

const WORK_NOTE: Record<PointOutcome["work"], string> = {
  generated: "",
  synthesized: " (only synthesized)",
  cached: " (cached)",
};

function describe(outcome: PointOutcome): string {
  const row = outcome.row;
  // Everything a point varies in, so no two points of a sweep read alike.
  const bound =
    row.segmentBudget !== null
      ? `budget ${counted(row.segmentBudget, "segment")}`
      : typeof row.spec?.maxError === "string"
        ? row.spec.maxError // as the user wrote it: 2^-6, 1e-3, 1ulp
        : row.maxErrorBound !== null
          ? showReal(row.maxErrorBound)
          : "";
  const method = row.target === null ? row.method : `${row.method} (${row.target})`;
  const what = `${row.function} ${method} ${row.in}->${row.out} ${bound}, symmetry ${row.symmetry}, pipeline ${row.pipeline}`;
  if (row.status !== "ok") return `${what}: ${row.status}: ${row.message}`;
  const synth = Object.entries(row.synth)
    .map(
      ([target, r]) =>
        `${target} ${r.lut} LUT ${r.dsp} DSP` +
        (r.bram ? ` ${r.bram} BRAM` : "") +
        (r.fmaxMHz !== undefined ? ` ${r.fmaxMHz.toFixed(1)} MHz` : ""),
    )
    .join(", ");
  return `${what}: ${counted(row.segments ?? 0, "segment")}${row.verified === null ? "" : row.verified ? ", verified" : ", MISMATCH"}${synth ? `, ${synth}` : ""}${WORK_NOTE[outcome.work]}`;
}

function lineProgress(count: string | undefined): SweepProgress {
  return {
    start: () => {
      if (count) console.log(count);
    },
    point: (outcome, done, total) => console.log(`[${done}/${total}] ${describe(outcome)}`),
    stop: () => undefined,
  };
}

function barProgress(): SweepProgress {
  const bar = new cliProgress.SingleBar(
    { format: "sweep [{bar}] {value}/{total} points | {last}", hideCursor: true, stream: terminalStream() },
    cliProgress.Presets.shades_classic,
  );
  return {
    start: (total) => bar.start(total, 0, { last: "" }),
    point: (outcome, done) => bar.update(done, { last: describe(outcome).slice(0, 60) }),
    stop: () => bar.stop(),
  };
}

/**
 * A sweep as a JUnit report: a testcase per point, named by its point directory; a failed
 * point (a check or tool failed: its message names the first mismatch) fails, an
 * infeasible one (the spec cannot be met) is skipped.
 */
export function sweepJunit(rows: readonly SweepRow[]): string {
  const cases = rows.map((row): JunitCase => {
    const base = {
      name: `${row.unit}: ${row.function} ${row.in} -> ${row.out}, ${row.method}, ${row.maxErrorBound === null ? `${row.segmentBudget} segments` : `bound ${showReal(row.maxErrorBound)}`}, pipeline ${row.pipeline}`,
      classname: "pwlgen.sweep",
    };
    if (row.status === "failed") return { ...base, failure: { type: "failed", message: row.message } };
    if (row.status === "infeasible") return { ...base, skipped: row.message };
    return base;
  });
  return junitXml("pwlgen sweep", [{ name: "sweep", cases }]);
}
