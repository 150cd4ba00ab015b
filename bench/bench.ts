/**
 * npm run bench: generation time (no simulation, no file writing) for the reference
 * designs. Prints a table and writes bench-results.json. Wall-clock numbers on a shared
 * machine are noisy: each case reports the median of several runs after a warm-up.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { generate } from "../gen/generate.js";
import type { DesignSpecInput } from "../gen/spec/schema.js";
import { runSweep } from "../gen/sweep/run.js";
import { sweepSchema } from "../gen/sweep/schema.js";

interface Case {
  readonly name: string;
  readonly spec: DesignSpecInput;
  readonly runs: number;
  readonly targetSeconds?: number;
}

const CASES: Case[] = [
  {
    name: "sigmoid s4.12 -> u1.15 at 2^-10",
    spec: { function: "sigmoid", in: "s4.12", out: "u1.15", maxError: "2^-10" },
    runs: 7,
    targetSeconds: 1,
  },
  {
    name: "tanh s3.13 -> s1.15 at 1e-3",
    spec: { function: "tanh", in: "s3.13", out: "s1.15", maxError: "1e-3" },
    runs: 7,
  },
  {
    name: "sigmoid s4.12 -> u1.15 at 0.5ulp",
    spec: { function: "sigmoid", in: "s4.12", out: "u1.15", maxError: "0.5ulp" },
    runs: 5,
  },
  {
    name: "sigmoid s4.12 -> u1.15, 8 segments",
    spec: { function: "sigmoid", in: "s4.12", out: "u1.15", segments: 8 },
    runs: 3,
  },
  {
    name: "sigmoid s4.16 -> u1.15 at 2^-10 (20-bit input)",
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
/**
 * Sweep throughput: sigmoid, tanh, gelu, silu x 2^-6 .. 2^-12 x three methods (84 points,
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
      method: "optimal,lsq-greedy,uniform",
      in: "s4.12",
      out: "s4.12",
      verify,
      simulator: "verilator",
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
console.log("\n| sweep (84 points, jobs = cores) | seconds | points/s |");
console.log("|---|---:|---:|");
console.log(`| generate only | ${sweeps.generateOnly.seconds} | ${sweeps.generateOnly.pointsPerSecond} |`);
console.log(
  `| generate + verify (Verilator) | ${sweeps.verifyVerilator.seconds} | ${sweeps.verifyVerilator.pointsPerSecond} |`,
);
console.log(
  `| ratio verify / generate-only time | ${(sweeps.verifyVerilator.seconds / sweeps.generateOnly.seconds).toFixed(2)} | |`,
);

const report = {
  node: process.version,
  date: new Date().toISOString().slice(0, 10),
  generation: results,
  sweeps,
};
writeFileSync("bench-results.json", `${JSON.stringify(report, null, 2)}\n`);
console.log("\nwrote bench-results.json");
