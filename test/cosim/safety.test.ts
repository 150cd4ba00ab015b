import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { main } from "../../gen/cli.js";
import { randomSpec } from "../support/arbitrary.js";
import { cosimulate } from "../support/cosim.js";
import { processesMentioning, spawnPwlgen, stopOrphans, waitFor } from "../support/process.js";

/**
 * Output safety and determinism as a CI job would depend on them, and a Verilator sample of
 * the random designs the property test checks against the real functions.
 */
const root = mkdtempSync(join(tmpdir(), "pwlgen-safety-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const quiet = async (args: string[]): Promise<number> => {
  const log = console.log;
  console.log = () => undefined;
  try {
    return await main(args);
  } finally {
    console.log = log;
  }
};

const snapshot = (dir: string): Record<string, string> =>
  Object.fromEntries(
    readdirSync(dir)
      .sort()
      .map((name) => [name, readFileSync(join(dir, name), "utf8")]),
  );

describe("a killed run leaves the previous output intact", () => {
  it("kill -9 at several moments of a long run; then a new run cleans up", async () => {
    const out = join(root, "unit");
    expect(
      await quiet([
        "gen",
        "--function",
        "sigmoid",
        "--in",
        "s4.10",
        "--out",
        "u1.12",
        "--max-error",
        "2^-8",
        "--out-dir",
        out,
      ]),
    ).toBe(0);
    const before = snapshot(out);
    // Generation, then writing the staged files, then --verify's simulations on them.
    for (const delay of [300, 1500, 3000, 6000]) {
      const child = spawn(
        process.execPath,
        [
          "bin/pwlgen.js",
          "gen",
          "--function",
          "tanh",
          "--in",
          "s4.16",
          "--out",
          "s1.15",
          "--max-error",
          "2^-12",
          "--verify",
          "--out-dir",
          out,
        ],
        { stdio: "ignore" },
      );
      const exited = new Promise((resolve) => child.once("exit", resolve));
      await new Promise((resolve) => setTimeout(resolve, delay));
      expect(child.exitCode).toBeNull();
      child.kill("SIGKILL");
      await exited;
      await stopOrphans(child.pid!);
      expect(snapshot(out)).toEqual(before);
    }
    expect(
      await quiet([
        "gen",
        "--function",
        "sigmoid",
        "--in",
        "s4.10",
        "--out",
        "u1.12",
        "--max-error",
        "2^-8",
        "--out-dir",
        out,
      ]),
    ).toBe(0);
    expect(readdirSync(root)).toEqual(["unit"]);
  });
});

describe("an interrupted sweep", () => {
  it("SIGINT while worker threads stage points removes their temporary directories and keeps finished points", async () => {
    const out = join(root, "sweep");
    const { child, stderr, exited, scratch } = spawnPwlgen([
      "sweep",
      "--function",
      "sigmoid,tanh,gelu,silu",
      "--max-error",
      "2^-8,2^-10",
      "--in",
      "s4.14",
      "--out",
      "s2.14",
      "--verify",
      "--simulator",
      "iverilog",
      "--jobs",
      "2",
      "--out-dir",
      out,
    ]);
    const staged = (): string[] => {
      try {
        return readdirSync(join(out, "points")).filter((name) => name.endsWith(".tmp"));
      } catch {
        return [];
      }
    };
    // Wait until a point is being staged and its simulator runs, then interrupt.
    const simulating = (): boolean => staged().length > 0 && processesMentioning(scratch).length > 0;
    let seen = false;
    await waitFor(() => (seen = simulating()) || child.exitCode !== null, 300_000);
    child.kill("SIGINT");
    // A second Ctrl-C during the cleanup is ignored: the cleanup finishes.
    setTimeout(() => child.kill("SIGINT"), 30);
    expect(seen).toBe(true);
    expect(await exited).toBe(130);
    expect(stderr().trim()).toBe(
      "pwlgen: interrupted; finished sweep points are kept; run the same command again to resume",
    );
    expect(staged()).toEqual([]);
    expect(readdirSync(tmpdir()).filter((name) => name.startsWith(scratch))).toEqual([]);
    // The simulators the workers started were stopped too (SIGTERM: they end within moments),
    // not left running without their scratch directory.
    await waitFor(() => processesMentioning(scratch).length === 0, 30_000);
    expect(processesMentioning(scratch)).toEqual([]);
  });
});

describe("a closed terminal (SIGHUP) during gen --verify", () => {
  it("stops the simulator, writes nothing and exits 129", async () => {
    const out = join(root, "hangup");
    const { child, stderr, exited, scratch } = spawnPwlgen([
      "gen",
      "--function",
      "tanh",
      "--in",
      "s4.14",
      "--out",
      "s1.15",
      "--max-error",
      "2^-10",
      "--verify",
      "--simulator",
      "iverilog",
      "--out-dir",
      out,
    ]);
    let seen = false;
    await waitFor(() => (seen = processesMentioning(scratch).length > 0) || child.exitCode !== null, 300_000);
    child.kill("SIGHUP");
    expect(seen).toBe(true);
    expect(await exited).toBe(129);
    expect(stderr().trim()).toBe("pwlgen: interrupted; nothing was written");
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(root).filter((name) => name.startsWith(".pwlgen-"))).toEqual([]);
    expect(readdirSync(tmpdir()).filter((name) => name.startsWith(scratch))).toEqual([]);
    await waitFor(() => processesMentioning(scratch).length === 0, 30_000);
    expect(processesMentioning(scratch)).toEqual([]);
  });
});

describe("determinism", () => {
  const specs = [
    ["--function", "sigmoid", "--in", "s4.10", "--out", "u1.12", "--max-error", "2^-9"],
    [
      "--function",
      "tanh",
      "--in",
      "s3.9",
      "--out",
      "s1.11",
      "--max-error",
      "2^-8",
      "--method",
      "uniform",
      "--pipeline",
      "2",
    ],
    [
      "--function",
      "gelu",
      "--in",
      "s3.8",
      "--out",
      "s3.9",
      "--max-error",
      "2^-7",
      "--derivative",
      "pwl",
      "--dout",
      "s2.10",
    ],
    [
      "--function",
      "dsigmoid",
      "--in",
      "s4.8",
      "--out",
      "u0.12",
      "--segments",
      "5",
      "--method",
      "lsq-greedy",
      "--derivative",
      "slope",
      "--dout",
      "s1.10",
    ],
    [
      "--expr",
      "x*sigmoid(1.702*x)",
      "--in",
      "s4.8",
      "--out",
      "s4.8",
      "--max-error",
      "2^-6",
      "--rounding",
      "half-even",
    ],
  ];
  it("the same command twice writes byte-identical files, for several designs", async () => {
    for (const [i, args] of specs.entries()) {
      const a = join(root, `det-${i}-a`);
      const b = join(root, `det-${i}-b`);
      expect(await quiet(["gen", ...args, "--out-dir", a])).toBe(0);
      expect(await quiet(["gen", ...args, "--out-dir", b])).toBe(0);
      expect(snapshot(b)).toEqual(snapshot(a));
      rmSync(a, { recursive: true });
      rmSync(b, { recursive: true });
    }
  });
});

describe("random designs in Verilator", () => {
  it("a seeded sample of the property test's designs is bit-exact and lint clean", async () => {
    const sample = fc.sample(randomSpec, { numRuns: 40, seed: 2026 });
    let simulated = 0;
    for (const spec of sample) {
      if (simulated === 10) break;
      try {
        await cosimulate(spec);
        simulated++;
      } catch (error) {
        if ((error as Error).name !== "UserError") throw error;
      }
    }
    console.log(`property cosimulation: ${simulated} random designs, failures: 0`);
    expect(simulated).toBe(10);
  });
});
