/**
 * Whole-process times of the CLI as a user runs it (`node bin/pwlgen.js ...`: node's start,
 * the supervisor, the command thread, module loading and the work): `--version`, `list`
 * and the 16-bit gen of the README (sigmoid s4.12 -> u1.15 at 2^-10) with `--method
 * optimal` and with the default `auto`, each the median of several runs.
 *
 * PWLGEN_BENCH_BEFORE=<folder of another pwlgen, built> times the same commands there too,
 * alternating the two run by run so that a change in the machine's load hits both, and
 * prints "before X s, after Y s, ratio". Run alone: `node dist/bench/process.js`.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const ROOT = resolve(fileURLToPath(new URL(".", import.meta.url)), "..", "..");

export interface ProcessTime {
  readonly command: string;
  readonly runs: number;
  readonly medianSeconds: number;
  readonly targetSeconds?: number;
  readonly before?: { readonly medianSeconds: number; readonly ratio: number };
}

const GEN = ["gen", "--function", "sigmoid", "--in", "s4.12", "--out", "u1.15", "--max-error", "2^-10"];
const COMMANDS: { args: string[]; runs: number; targetSeconds?: number }[] = [
  { args: ["--version"], runs: 7 },
  { args: ["list"], runs: 7, targetSeconds: 0.4 },
  { args: [...GEN, "--method", "optimal"], runs: 5, targetSeconds: 0.8 },
  { args: GEN, runs: 5, targetSeconds: 0.8 },
];

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** One run of `pwlgen args` from the package in `root`; its wall time in seconds. */
function timeOnce(root: string, args: string[], outDir: string): number {
  const full = args[0] === "gen" ? [...args, "--out-dir", outDir, "--force"] : args;
  const started = performance.now();
  const result = spawnSync(process.execPath, [join(root, "bin", "pwlgen.js"), ...full], {
    encoding: "utf8",
    cwd: tmpdir(),
  });
  const seconds = (performance.now() - started) / 1000;
  if (result.status !== 0) throw new Error(`pwlgen ${full.join(" ")} in ${root}: ${result.stderr}`);
  return seconds;
}

export function processTimes(before = process.env.PWLGEN_BENCH_BEFORE): ProcessTime[] {
  const dir = mkdtempSync(join(tmpdir(), "pwlgen-bench-process-"));
  try {
    return COMMANDS.map(({ args, runs, targetSeconds }) => {
      const after: number[] = [];
      const old: number[] = [];
      // A warm-up of each (the file cache), then alternate.
      timeOnce(ROOT, args, join(dir, "after"));
      if (before) timeOnce(before, args, join(dir, "before"));
      for (let i = 0; i < runs; i++) {
        after.push(timeOnce(ROOT, args, join(dir, "after")));
        if (before) old.push(timeOnce(before, args, join(dir, "before")));
      }
      const seconds = median(after);
      return {
        command: `pwlgen ${args.join(" ")}`,
        runs,
        medianSeconds: Number(seconds.toFixed(3)),
        ...(targetSeconds !== undefined ? { targetSeconds } : {}),
        ...(before
          ? {
              before: {
                medianSeconds: Number(median(old).toFixed(3)),
                ratio: Number((median(old) / seconds).toFixed(2)),
              },
            }
          : {}),
      };
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function printProcessTimes(times: readonly ProcessTime[]): void {
  console.log(
    "\n| whole process (node bin/pwlgen.js) | runs | median s | target | before (PWLGEN_BENCH_BEFORE) |",
  );
  console.log("|---|---:|---:|---|---|");
  for (const t of times) {
    const target =
      t.targetSeconds === undefined
        ? ""
        : `<= ${t.targetSeconds} s: ${t.medianSeconds <= t.targetSeconds ? "met" : "MISSED"}`;
    const before = t.before
      ? `before ${t.before.medianSeconds.toFixed(2)} s, after ${t.medianSeconds.toFixed(2)} s, ratio ${t.before.ratio.toFixed(2)}x`
      : "";
    console.log(`| ${t.command} | ${t.runs} | ${t.medianSeconds.toFixed(3)} | ${target} | ${before} |`);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  printProcessTimes(processTimes());
}
