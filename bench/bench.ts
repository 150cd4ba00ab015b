/**
 * npm run bench: generation time (no simulation, no file writing) for the reference
 * designs, and whole-process times of the CLI beside them (bench/process.ts). Prints a table and writes bench-results.json. Wall-clock numbers on a shared
 * machine are noisy: each case reports the median of several runs after a warm-up.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { minCode, parseFormat } from "../gen/fixed/format.js";
import { generate, tabulateFunction } from "../gen/generate.js";
import { sigmoid } from "../gen/functions/sigmoid.js";
import { countOptimal, segmentOptimal } from "../gen/segment/optimal.js";
import { placementCost } from "../gen/segment/placement.js";
import { computeTargets } from "../gen/segment/targets.js";
import { writeUnit } from "../gen/write.js";
import { verifyUnit } from "../sim/verify.js";
import { bruteForceMinimum } from "../test/support/bruteforce.js";
import type { DesignSpecInput } from "../gen/spec/schema.js";
import { runSweep } from "../gen/sweep/run.js";
import { TARGET_NAMES } from "../gen/synth/targets.js";
import { accuracyTable, compare, readCorpus, regenerate } from "../test/support/cost-corpus.js";
import { sweepSchema } from "../gen/sweep/schema.js";
import { printProcessTimes, processTimes } from "./process.js";

interface Case {
  readonly name: string;
  readonly spec: DesignSpecInput;
  readonly runs: number;
  readonly targetSeconds?: number;
}

const CASES: Case[] = [
  {
    name: "sigmoid s4.12 -> u1.15 at 2^-10, optimal",
    spec: { function: "sigmoid", in: "s4.12", out: "u1.15", maxError: "2^-10", method: "optimal" },
    runs: 7,
    targetSeconds: 1,
  },
  ...(["ice40", "ice40-hx", "xc7"] as const).map((target) => ({
    name: `sigmoid s4.12 -> u1.15 at 2^-10, auto (${target})`,
    spec: { function: "sigmoid", in: "s4.12", out: "u1.15", maxError: "2^-10", target } as DesignSpecInput,
    runs: 7,
    targetSeconds: 1,
  })),
  {
    name: "gelu s4.12 -> s4.12 at 2^-10, auto (ice40)",
    spec: { function: "gelu", in: "s4.12", out: "s4.12", maxError: "2^-10" },
    runs: 7,
    targetSeconds: 1,
  },
  {
    name: "sigmoid s4.12 -> u1.15 at 2^-10, uniform",
    spec: { function: "sigmoid", in: "s4.12", out: "u1.15", maxError: "2^-10", method: "uniform" },
    runs: 7,
  },
  {
    name: "tanh s3.13 -> s1.15 at 1e-3, optimal",
    spec: { function: "tanh", in: "s3.13", out: "s1.15", maxError: "1e-3", method: "optimal" },
    runs: 7,
  },
  {
    name: "sigmoid s4.12 -> u1.15 at 0.5ulp, optimal",
    spec: { function: "sigmoid", in: "s4.12", out: "u1.15", maxError: "0.5ulp", method: "optimal" },
    runs: 5,
  },
  {
    name: "sigmoid s4.12 -> u1.15, 8 segments",
    spec: { function: "sigmoid", in: "s4.12", out: "u1.15", segments: 8, method: "optimal" },
    runs: 3,
  },
  {
    name: "sigmoid s4.16 -> u1.15 at 2^-10 (20-bit input), optimal",
    spec: { function: "sigmoid", in: "s4.16", out: "u1.15", maxError: "2^-10", method: "optimal" },
    runs: 3,
  },
  {
    name: "sigmoid s4.16 -> u1.15 at 2^-10 (20-bit input), auto (ice40)",
    spec: { function: "sigmoid", in: "s4.16", out: "u1.15", maxError: "2^-10" },
    runs: 3,
  },
];

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

const results = CASES.map((c) => {
  generate(c.spec); // warm-up
  const times: number[] = [];
  let segments = 0;
  for (let i = 0; i < c.runs; i++) {
    const started = performance.now();
    segments = generate(c.spec).design.y.breakpoints.length;
    times.push((performance.now() - started) / 1000);
  }
  const seconds = median(times);
  return {
    name: c.name,
    segments,
    medianSeconds: Number(seconds.toFixed(4)),
    runs: c.runs,
    ...(c.targetSeconds !== undefined
      ? { targetSeconds: c.targetSeconds, withinTarget: seconds < c.targetSeconds }
      : {}),
  };
});

console.log("| case | segments | median s | target |");
console.log("|---|---:|---:|---|");
for (const r of results) {
  const target = "targetSeconds" in r ? `< ${r.targetSeconds} s: ${r.withinTarget ? "met" : "MISSED"}` : "";
  console.log(`| ${r.name} | ${r.segments} | ${r.medianSeconds.toFixed(3)} | ${target} |`);
}
/** The same CLI as a user runs it: whole processes, start-up and module loading included. */
const wholeProcess = processTimes();
printProcessTimes(wholeProcess);

/** Generation time and peak memory by input width, each in its own process. */
const widths = [12, 16, 20, 24].map((bits) => {
  const script = join(fileURLToPath(new URL(".", import.meta.url)), "width-case.js");
  return JSON.parse(execFileSync(process.execPath, [script, String(bits)], { encoding: "utf8" })) as {
    inputBits: number;
    codes: number;
    segments: number;
    seconds: number;
    peakRssMB: number;
  };
});
console.log("\n| input bits | codes | segments | seconds | peak RSS (MB) |");
console.log("|---:|---:|---:|---:|---:|");
for (const w of widths)
  console.log(`| ${w.inputBits} | ${w.codes} | ${w.segments} | ${w.seconds} | ${w.peakRssMB} |`);

/** The segmenter against its brute-force twin on small formats (same answer, different cost). */
function twinRatio(): { cases: number; segmenterSeconds: number; bruteForceSeconds: number; ratio: number } {
  const cases = [
    ["s3.4", "u1.6", 2 ** -5, "s0.5", "s2.6"],
    ["s4.4", "u1.6", 2 ** -6, "u-1.6", "u1.6"],
    ["s4.5", "u1.7", 2 ** -6, "s-1.6", "s1.6"],
  ] as const;
  let fast = 0;
  let slow = 0;
  for (const [i, o, bound, slope, intercept] of cases) {
    const input = parseFormat(i)!;
    const output = parseFormat(o)!;
    const reference = tabulateFunction(sigmoid, input);
    const targets = computeTargets(reference, output, bound, "saturate");
    if (!targets.ok) throw new Error("bench case infeasible");
    const problem = {
      input,
      first: -(2 ** (input.intBits + input.fracBits - 1)),
      output,
      rounding: "half-up" as const,
      overflow: "saturate" as const,
      bound,
      reference,
      targets: targets.targets,
    };
    const formats = {
      input,
      output,
      rounding: "half-up" as const,
      overflow: "saturate" as const,
      slope: parseFormat(slope)!,
      intercept: parseFormat(intercept)!,
    };
    let t = performance.now();
    let a = 0;
    for (let r = 0; r < 200; r++) a = countOptimal(problem, formats);
    fast += (performance.now() - t) / 1000 / 200;
    t = performance.now();
    const b = bruteForceMinimum(problem, formats);
    slow += (performance.now() - t) / 1000;
    if (a !== b) throw new Error(`twin disagrees: ${a} vs ${b}`);
  }
  return {
    cases: cases.length,
    segmenterSeconds: Number(fast.toFixed(5)),
    bruteForceSeconds: Number(slow.toFixed(3)),
    ratio: Math.round(slow / fast),
  };
}
const twin = twinRatio();
console.log(
  `\nsegmenter vs brute-force twin (${twin.cases} small cases, same counts): ${twin.segmenterSeconds} s vs ${twin.bruteForceSeconds} s, ${twin.ratio}x faster`,
);

/**
 * Breakpoint placement's price: segmentOptimal with placement (the default) against
 * greedy's own breakpoints, on the unfolded sigmoid -> u1.15 at 2^-12 with the formats
 * pwlgen chooses, 16- and 20-bit inputs; median of several runs after a warm-up. Also the
 * total comparator cost (comparatorCost) of both.
 */
function placementPrice(bits: number): {
  inputBits: number;
  segments: number;
  greedySeconds: number;
  placedSeconds: number;
  ratio: number;
  comparatorCost: { greedy: number; placed: number };
} {
  const input = parseFormat(`s4.${bits - 4}`)!;
  const output = parseFormat("u1.15")!;
  const bound = 2 ** -12;
  const y = generate({
    function: "sigmoid",
    in: `s4.${bits - 4}`,
    out: "u1.15",
    maxError: "2^-12",
    symmetry: "off",
  }).design.y;
  const reference = tabulateFunction(sigmoid, input);
  const targets = computeTargets(reference, output, bound, "saturate");
  if (!targets.ok) throw new Error("bench case infeasible");
  const base = { input, output, rounding: "half-up" as const, overflow: "saturate" as const };
  const problem = { ...base, first: minCode(input), bound, reference, targets: targets.targets };
  const formats = { ...base, slope: y.slopeFormat, intercept: y.interceptFormat };
  const run = (placement: false | undefined): { seconds: number; starts: number[] } => {
    const started = performance.now();
    const outcome = segmentOptimal(problem, formats, placement);
    const seconds = (performance.now() - started) / 1000;
    if (!outcome.ok) throw new Error("bench case infeasible");
    return { seconds, starts: outcome.segments.map((segment) => segment.start) };
  };
  // Warm-up, then alternate the two so that a load change on a shared machine hits both.
  const greedy = run(false);
  const placed = run(undefined);
  const times: [number[], number[]] = [[], []];
  for (let r = 0; r < 7; r++) {
    times[0].push(run(false).seconds);
    times[1].push(run(undefined).seconds);
  }
  const [greedySeconds, placedSeconds] = times.map(median) as [number, number];
  return {
    inputBits: bits,
    segments: placed.starts.length,
    greedySeconds: Number(greedySeconds.toFixed(4)),
    placedSeconds: Number(placedSeconds.toFixed(4)),
    ratio: Number((placedSeconds / greedySeconds).toFixed(2)),
    comparatorCost: {
      greedy: placementCost(problem, greedy.starts),
      placed: placementCost(problem, placed.starts),
    },
  };
}
const placement = [16, 20].map(placementPrice);
console.log(
  "\n| optimal, sigmoid s4.x -> u1.15 at 2^-12 | segments | greedy s | placed s | ratio | comparator cost greedy -> placed |",
);
console.log("|---:|---:|---:|---:|---:|---|");
for (const p of placement)
  console.log(
    `| ${p.inputBits}-bit input | ${p.segments} | ${p.greedySeconds} | ${p.placedSeconds} | ${p.ratio} | ${p.comparatorCost.greedy} -> ${p.comparatorCost.placed} |`,
  );

/** Cosimulation throughput of a 16-bit unit (65536 vectors), build included, per simulator. */
async function cosimRates(): Promise<
  Record<string, { vectors: number; seconds: number; vectorsPerSecond: number }>
> {
  const dir = mkdtempSync(join(tmpdir(), "pwlgen-bench-cosim-"));
  try {
    const written = await writeUnit(
      generate({ function: "tanh", in: "s3.13", out: "s1.15", maxError: "1e-3", pipeline: 2 }),
      { outDir: join(dir, "unit") },
    );
    const rates: Record<string, { vectors: number; seconds: number; vectorsPerSecond: number }> = {};
    for (const simulator of ["iverilog", "verilator"] as const) {
      const result = (await verifyUnit(written.dir, simulator, { lint: false })).results[0]!;
      rates[simulator] = {
        vectors: result.vectors,
        seconds: Number(result.seconds.toFixed(2)),
        vectorsPerSecond: Math.round(result.vectors / result.seconds),
      };
    }
    return rates;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
const cosim = await cosimRates();
console.log("\n| simulator | vectors | seconds (build + run) | vectors/s |");
console.log("|---|---:|---:|---:|");
for (const [name, r] of Object.entries(cosim))
  console.log(`| ${name} | ${r.vectors} | ${r.seconds} | ${r.vectorsPerSecond} |`);

/**
 * Sweep throughput: sigmoid, tanh, gelu, silu x 2^-6 .. 2^-12 x four methods (112 points,
 * s4.12 -> s4.12) on worker threads, without synthesis, then the same with --verify
 * (Verilator). Each run starts from an empty directory, so nothing comes from the cache.
 */
async function sweepRate(
  verify: boolean,
): Promise<{ points: number; seconds: number; pointsPerSecond: number }> {
  const dir = mkdtempSync(join(tmpdir(), "pwlgen-bench-sweep-"));
  try {
    const options = sweepSchema.parse({
      function: "sigmoid,tanh,gelu,silu",
      maxError: "2^-6,2^-7,2^-8,2^-9,2^-10,2^-11,2^-12",
      method: "optimal,lsq-greedy,uniform,auto",
      in: "s4.12",
      out: "s4.12",
      // --simulator applies only with --verify (the schema refuses it otherwise).
      ...(verify ? { verify, simulator: "verilator" } : {}),
      outDir: dir,
    });
    const started = performance.now();
    const summary = await runSweep(options);
    const seconds = (performance.now() - started) / 1000;
    return {
      points: summary.rows.length,
      seconds: Number(seconds.toFixed(1)),
      pointsPerSecond: Number((summary.rows.length / seconds).toFixed(3)),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const sweeps = {
  jobs: availableParallelism(),
  generateOnly: await sweepRate(false),
  verifyVerilator: await sweepRate(true),
};
console.log("\n| sweep (112 points, jobs = cores) | seconds | points/s |");
console.log("|---|---:|---:|");
console.log(`| generate only | ${sweeps.generateOnly.seconds} | ${sweeps.generateOnly.pointsPerSecond} |`);
console.log(
  `| generate + verify (Verilator) | ${sweeps.verifyVerilator.seconds} | ${sweeps.verifyVerilator.pointsPerSecond} |`,
);
console.log(
  `| ratio verify / generate-only time | ${(sweeps.verifyVerilator.seconds / sweeps.generateOnly.seconds).toFixed(2)} | |`,
);

/**
 * The cost model against Yosys on the calibration corpus (test/fixtures/cost-corpus.json):
 * the counts recorded there, so no Yosys run; each design is regenerated from its spec.
 */
function costModelAccuracy(): { designs: number; yosys: string; table: string[] } {
  const corpus = readCorpus();
  const designs = corpus.designs.map((entry) => regenerate(entry).design);
  const table = accuracyTable(TARGET_NAMES.map((target) => compare(corpus.designs, designs, target)));
  return { designs: corpus.designs.length, yosys: corpus.yosys, table };
}
const costModel = costModelAccuracy();
console.log(
  `\ncost model against Yosys ${costModel.yosys} (${costModel.designs} corpus designs; criteria: LUT Spearman >= 0.9, median relative error <= 15%)`,
);
for (const line of costModel.table) console.log(line);

const report = {
  node: process.version,
  date: new Date().toISOString().slice(0, 10),
  generation: results,
  wholeProcess,
  placement,
  sweeps,
  costModel,
};
writeFileSync("bench-results.json", `${JSON.stringify(report, null, 2)}\n`);
console.log("\nwrote bench-results.json");
