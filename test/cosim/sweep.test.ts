import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { main } from "../../gen/cli.js";
import type { SweepRow } from "../../gen/sweep/row.js";

/**
 * pwlgen sweep as a user runs it: verified and synthesized points whose rows match their
 * manifests, plots, resumption from the cache, shards that merge into the unsharded run,
 * and failures recorded in rows instead of stopping the sweep.
 */
const root = mkdtempSync(join(tmpdir(), "pwlgen-sweep-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Runs the CLI in-process; returns its exit code and what it printed to stdout. */
async function runLogged(args: string[]): Promise<{ code: number; log: string }> {
  const lines: string[] = [];
  const log = console.log;
  console.log = (line: string) => lines.push(line);
  try {
    return { code: await main(args), log: lines.join("\n") };
  } finally {
    console.log = log;
  }
}

async function run(args: string[]): Promise<number> {
  return (await runLogged(args)).code;
}

const rowsOf = (dir: string): SweepRow[] =>
  JSON.parse(readFileSync(join(dir, "sweep.json"), "utf8")) as SweepRow[];

const base = [
  "sweep",
  "--function",
  "sigmoid,tanh",
  "--max-error",
  "2^-6,2^-8",
  "--method",
  "optimal,lsq-greedy,uniform",
];
const formats = ["--in", "s4.8", "--out", "s2.10"];

describe("pwlgen sweep --verify --synth ice40", () => {
  const dir = join(root, "full");
  /** The verified sweep of this block, synthesized for the given targets. */
  const verifiedSweep = (targets: string): string[] => [
    ...base,
    ...formats,
    "--verify",
    "--simulator",
    "verilator",
    "--synth",
    targets,
    "--jobs",
    "2",
    "--out-dir",
    dir,
  ];

  it("verifies and synthesizes every point; rows match the manifests; optimal <= lsq-greedy <= uniform", async () => {
    const code = await run(verifiedSweep("ice40"));
    expect(code).toBe(0);
    const rows = rowsOf(dir);
    expect(rows).toHaveLength(12);
    expect(rows.map((r) => r.index)).toEqual([...Array(12).keys()]);
    for (const row of rows) {
      expect(row.status).toBe("ok");
      expect(row.verified).toBe(true);
      const manifest = JSON.parse(readFileSync(join(dir, row.unit, "manifest.json"), "utf8"));
      expect(row.segments).toBe(manifest.segments);
      expect(row.errorsMax).toBe(manifest.errors.max);
      expect(row.errorsMean).toBe(manifest.errors.mean);
      expect(row.romBits).toBe(manifest.hardware.romBits);
      expect(row.specHash).toBe(manifest.specHash);
      expect(row.lut).toBe(manifest.synthesis.ice40.lut);
      expect(row.lut).toBeGreaterThan(0);
      expect(manifest.verification.every((v: { passed: boolean }) => v.passed)).toBe(true);
    }
    for (const fn of ["sigmoid", "tanh"]) {
      for (const bound of [2 ** -6, 2 ** -8]) {
        const count = (method: string) =>
          rows.find((r) => r.function === fn && r.maxErrorBound === bound && r.method === method)!.segments!;
        expect(count("optimal")).toBeLessThanOrEqual(count("lsq-greedy"));
        expect(count("lsq-greedy")).toBeLessThanOrEqual(count("uniform"));
      }
    }
    const csv = readFileSync(join(dir, "sweep.csv"), "utf8").split("\n");
    const header = csv[0]!.split(",");
    for (const column of [
      "function",
      "method",
      "in",
      "out",
      "maxErrorBound",
      "segments",
      "errorsMax",
      "errorsMean",
      "romBits",
      "latency",
      "verified",
      "lut",
      "carry",
      "dsp",
      "ff",
      "specHash",
    ]) {
      expect(header).toContain(column);
    }
    expect(csv.filter(Boolean)).toHaveLength(13);
    for (const plot of ["segments-vs-error.svg", "cost-vs-error.svg"]) {
      const svg = readFileSync(join(dir, plot), "utf8");
      expect(svg.startsWith("<svg")).toBe(true);
      for (const method of ["optimal", "lsq-greedy", "uniform"]) expect(svg).toContain(method);
    }
  });

  it("a rerun recomputes nothing and writes the same bytes", async () => {
    const files = ["sweep.json", "index.html"];
    const before = files.map((file) => readFileSync(join(dir, file), "utf8"));
    const result = await runLogged(verifiedSweep("ice40"));
    expect(result.code).toBe(0);
    expect(result.log).toContain("12 points (0 generated, 12 from cache)");
    expect(files.map((file) => readFileSync(join(dir, file), "utf8"))).toEqual(before);
  });

  it("adding a synthesis target only synthesizes: the units are not regenerated", async () => {
    const unit = join(dir, "points", readdirSync(join(dir, "points")).sort()[0]!);
    const verilog = readdirSync(unit).find((name) => name.endsWith(".v") && !name.endsWith("_tb.v"))!;
    const before = statSync(join(unit, verilog));
    const result = await runLogged(verifiedSweep("ice40,generic"));
    expect(result.code).toBe(0);
    expect(result.log).toContain("12 points (0 generated, 12 only synthesized, 0 from cache)");
    const after = statSync(join(unit, verilog));
    expect([after.ino, after.mtimeMs]).toEqual([before.ino, before.mtimeMs]);
    const rows = rowsOf(dir);
    expect(rows.every((row) => row.synth.generic !== undefined && row.synth.ice40 !== undefined)).toBe(true);
  });
});

describe("shards, merge, resume, failures", () => {
  const args = [...base, "--in", "s4.8", "--out", "s2.10,u1.10", "--jobs", "2"];

  it("two shards merged equal the unsharded run, byte for byte", async () => {
    expect(await run([...args, "--shard", "1/2", "--out-dir", join(root, "s1")])).toBe(0);
    expect(await run([...args, "--shard", "2/2", "--out-dir", join(root, "s2")])).toBe(0);
    expect(rowsOf(join(root, "s1")).every((r) => r.index % 2 === 0)).toBe(true);
    expect(
      await run(["sweep", "merge", join(root, "s1"), join(root, "s2"), "--out-dir", join(root, "merged")]),
    ).toBe(0);
    expect(await run([...args, "--out-dir", join(root, "whole")])).toBe(0);
    for (const file of ["sweep.json", "sweep.csv", "segments-vs-error.svg", "index.html"]) {
      expect(readFileSync(join(root, "merged", file), "utf8")).toBe(
        readFileSync(join(root, "whole", file), "utf8"),
      );
    }
    expect(readdirSync(join(root, "merged", "points")).sort()).toEqual(
      readdirSync(join(root, "whole", "points")).sort(),
    );
  });

  it("merge refuses a missing, repeated or foreign shard, and a file as --out-dir, writing nothing", async () => {
    const errors: string[] = [];
    const error = console.error;
    console.error = (line: string) => errors.push(line);
    const s1 = join(root, "s1");
    const s2 = join(root, "s2");
    const out = join(root, "refused");
    try {
      expect(await run(["sweep", "merge", s1, "--out-dir", out])).toBe(2);
      expect(await run(["sweep", "merge", s1, s1, "--out-dir", out])).toBe(2);
      expect(await run(["sweep", "merge", s1, join(root, "whole"), "--out-dir", out])).toBe(2);
      writeFileSync(out, "");
      expect(await run(["sweep", "merge", s1, s2, "--out-dir", out])).toBe(2);
    } finally {
      console.error = error;
      rmSync(out, { force: true });
    }
    expect(errors[0]).toContain("lacks shard 2/2");
    expect(errors[1]).toContain("is shard 1/2 again");
    expect(errors[2]).toContain("is shard 1/1 of 24 points, not one of 2 shards of 24 points");
    expect(errors[3]).toContain(`--out-dir: "${out}" exists and is not a directory`);
    expect(existsSync(out)).toBe(false);
  });

  it("merge refuses a shard of another sweep, and an --out-dir in a shard; a sweep refuses one design twice", async () => {
    const errors: string[] = [];
    const error = console.error;
    console.error = (line: string) => errors.push(line);
    const other = join(root, "other2");
    const small = ["sweep", "--function", "sigmoid", "--in", "s4.6", "--out", "u1.8", "--jobs", "1"];
    try {
      expect(await run([...small, "--max-error", "2^-5,2^-6", "--shard", "2/2", "--out-dir", other])).toBe(0);
      const s1 = join(root, "s1");
      expect(await run(["sweep", "merge", s1, join(root, "s2"), "--out-dir", join(s1, "points")])).toBe(2);
      expect(await run(["sweep", "merge", s1, other, "--out-dir", join(root, "mixed")])).toBe(2);
      expect(await run([...small, "--max-error", "1ulp,2^-8", "--out-dir", join(root, "same")])).toBe(2);
    } finally {
      console.error = error;
    }
    expect(errors[0]).toContain("is the sweep directory");
    expect(errors[1]).toContain("is a shard of another sweep");
    expect(errors[2]).toContain("are the same design");
    expect(existsSync(join(root, "mixed"))).toBe(false);
    expect(existsSync(join(root, "same"))).toBe(false);
  });

  it("an interrupted sweep resumes: the points a shard finished come from the cache", async () => {
    const result = await runLogged([...args, "--out-dir", join(root, "s1")]);
    expect(result.code).toBe(0);
    expect(result.log).toContain("24 points (12 generated, 12 from cache)");
  });

  it("an infeasible point is recorded in its row and the sweep goes on", async () => {
    const dir = join(root, "infeasible");
    expect(
      await run([
        "sweep",
        "--function",
        "sigmoid",
        "--max-error",
        "2^-8,2^-14",
        "--in",
        "s4.8",
        "--out",
        "u1.10",
        "--out-dir",
        dir,
      ]),
    ).toBe(0);
    const [ok, infeasible] = rowsOf(dir);
    expect(ok!.status).toBe("ok");
    expect(infeasible!.status).toBe("infeasible");
    expect(infeasible!.message).toMatch(/below half an output ulp/);
    expect(infeasible!.maxErrorBound).toBe(2 ** -14);
    expect(infeasible!.segments).toBeNull();
  });

  it("bad sweep options exit 2 naming the option and the value", async () => {
    const errors: string[] = [];
    const error = console.error;
    console.error = (line: string) => errors.push(line);
    try {
      expect(
        await main([
          "sweep",
          "--function",
          "sigmoid,sigmod",
          "--max-error",
          "2^-8",
          "--in",
          "s4.8",
          "--out",
          "u1.10",
          "--out-dir",
          join(root, "bad"),
        ]),
      ).toBe(2);
      expect(
        await main([
          "sweep",
          "--function",
          "sigmoid",
          "--max-error",
          "2^-8",
          "--in",
          "s4.8",
          "--out",
          "u1.10",
          "--shard",
          "3/2",
        ]),
      ).toBe(2);
    } finally {
      console.error = error;
    }
    expect(errors[0]).toMatch(/^pwlgen: error: --function: "sigmoid,sigmod" has "sigmod", which/);
    expect(errors[1]).toMatch(/^pwlgen: error: --shard: "3\/2" is not a shard/);
  });
});

describe("pwlgen synth", () => {
  it("prints cell counts as JSON, records them, and a larger design costs more", async () => {
    const small = join(root, "synth-small");
    const large = join(root, "synth-large");
    const gen = (bound: string, dir: string) =>
      run([
        "gen",
        "--function",
        "tanh",
        "--in",
        "s3.9",
        "--out",
        "s1.11",
        "--max-error",
        bound,
        "--symmetry",
        "off",
        "--out-dir",
        dir,
      ]);
    expect(await gen("2^-5", small)).toBe(0);
    expect(await gen("2^-11", large)).toBe(0);
    const counts = (dir: string) => {
      const out = execFileSync(
        process.execPath,
        ["bin/pwlgen.js", "synth", dir, "--target", "xc7", "--json"],
        { encoding: "utf8" },
      );
      return JSON.parse(out) as {
        target: string;
        lut: number;
        carry: number;
        dsp: number;
        ff: number;
        cells: Record<string, number>;
      };
    };
    const a = counts(small);
    const b = counts(large);
    expect(a.target).toBe("xc7");
    expect(a.lut).toBeGreaterThan(0);
    expect(a.lut).toBe(
      Object.entries(a.cells)
        .filter(([t]) => /^LUT\d$/.test(t))
        .reduce((s, [, n]) => s + n, 0),
    );
    expect(b.lut).toBeGreaterThan(a.lut);
    const manifest = JSON.parse(readFileSync(join(large, "manifest.json"), "utf8"));
    expect(manifest.synthesis.xc7.lut).toBe(b.lut);
    expect(readFileSync(join(large, "report.md"), "utf8")).toMatch(/## Synthesis[\s\S]*\| xc7 \| \d+ \|/);
    // The line a user reads counts in words: "1 DSP", not "1 DSPs".
    const line = execFileSync(process.execPath, ["bin/pwlgen.js", "synth", large, "--target", "xc7"], {
      encoding: "utf8",
    });
    expect(line).toMatch(new RegExp(`^xc7: ${b.lut} LUTs, ${b.carry} carry, ${b.dsp} DSPs?, `));
    expect(line).not.toMatch(/\b1 (DSPs|LUTs|BRAMs|FFs)\b/);
    expect(line).toContain(b.dsp === 1 ? "1 DSP," : `${b.dsp} DSPs,`);
  });
});
