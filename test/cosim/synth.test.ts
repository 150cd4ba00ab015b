import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { measureFmax } from "../../gen/synth/fmax.js";
import { expectUserError, runCli } from "../support/cli.js";

/**
 * pwlgen synth with Yosys and nextpnr: every target's counts, and an Fmax that times every
 * register-to-register path, checked against nextpnr's own log, read here line by line.
 */
const root = mkdtempSync(join(tmpdir(), "pwlgen-synth-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

interface Manifest {
  module: string;
  input: { width: number };
  output: { width: number };
  latency: number;
  synthesis?: Record<string, Record<string, unknown>>;
}

/** README's sigmoid (the first command), and a smaller one. */
// The unit of the Fmax figures: the paper's design (optimal), one SB_MAC16.
const README_UNIT = {
  function: "sigmoid",
  in: "s4.12",
  out: "u1.15",
  "max-error": "2^-10",
  method: "optimal",
};
const SMALL_UNIT = { function: "sigmoid", in: "s4.8", out: "u1.9", "max-error": "2^-7" };

/** Generates a unit and returns its directory. */
async function unit(name: string, options: Record<string, string>): Promise<string> {
  const dir = join(root, name);
  const flags = Object.entries(options).flatMap(([key, value]) => [`--${key}`, value]);
  const result = await runCli(["gen", ...flags, "--out-dir", dir]);
  expect(result.stderr).toEqual([]);
  expect(result.code).toBe(0);
  return dir;
}

const manifestOf = (dir: string): Manifest =>
  JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8")) as Manifest;

/**
 * nextpnr's final timing summary, from its log: the clock's "Max frequency" (its own
 * register-to-register paths) and every "Max delay <from> -> <to>: <ns> ns" line after it
 * (the cross-domain paths of the post-route block).
 */
function nextpnrSummary(log: string): {
  clockMHz: number;
  delays: { from: string; to: string; ns: number }[];
} {
  const lines = log.split("\n");
  const last = lines
    .map((l, i) => (/Max frequency for clock/.test(l) ? i : -1))
    .filter((i) => i >= 0)
    .at(-1);
  expect(last).toBeDefined();
  const clockMHz = Number(/: ([\d.]+) MHz/.exec(lines[last!]!)![1]);
  const delays = lines
    .slice(last!)
    .map((l) => /Max delay (.+?)\s+->\s+(.+?)\s*: ([\d.]+) ns/.exec(l))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ from: m[1]!.trim(), to: m[2]!.trim(), ns: Number(m[3]) }));
  return { clockMHz, delays };
}

/** nextpnr prints delays to 0.01 ns: allow that much rounding per line summed. */
const PRINTED = 0.005;

describe("synth --fmax times every register-to-register path", () => {
  it.each([
    ["combinational", 0],
    ["pipelined", 4],
  ])(
    "%s sigmoid with an SB_MAC16: Fmax no higher than 1 / nextpnr's slowest register-to-register path",
    async (what, pipeline) => {
      const dir = await unit(`sig-${what}`, { ...README_UNIT, pipeline: String(pipeline) });
      const manifest = manifestOf(dir);
      const run = await measureFmax(
        readFileSync(join(dir, `${manifest.module}.v`), "utf8"),
        manifest.module,
        {
          xWidth: manifest.input.width,
          outputs: [{ name: "y", width: manifest.output.width }],
          pipelined: pipeline > 0,
        },
        "ice40",
      );
      const { clockMHz, delays } = nextpnrSummary(run.log);
      const registered = delays.filter((d) => d.from !== "<async>" && d.to !== "<async>");
      const slowest = Math.max(1000 / (clockMHz + 0.005), ...registered.map((d) => d.ns));
      expect(run.fmaxMHz).toBeLessThanOrEqual(1000 / (slowest - PRINTED));
      expect(run.fmaxMHz).toBeCloseTo(Math.floor(100_000 / run.criticalPath.delayNs) / 100, 2);
      expect(run.criticalPath.untimed).toMatch(/SB_MAC16/);

      const constant = (domain: string) => domain.includes("$PACKER_");
      const into = registered.find((d) => !constant(d.from) && constant(d.to));
      const out = registered.find((d) => constant(d.from) && !constant(d.to));
      if (pipeline === 0) {
        // The multiplier is unregistered: nextpnr clocks it by a constant net and reports
        // the path through it as two cross-domain halves, both left out of its clock's Fmax.
        expect(into && out).toBeTruthy();
        expect(run.fmaxMHz).toBeLessThanOrEqual(1000 / (into!.ns + out!.ns - 2 * PRINTED));
        expect(run.fmaxMHz).toBeLessThan(clockMHz / 2);
        expect(run.criticalPath.through).toContain("SB_MAC16 (unregistered)");
        expect(run.criticalPath.domains).toHaveLength(2);
      } else {
        // Every register, the DSP's own included, is on the real clock.
        expect(into ?? out).toBeUndefined();
        expect(run.fmaxMHz).toBeCloseTo(clockMHz, 1);
      }
    },
  );

  it("records Fmax and its critical path on an iCE40 HX (multipliers in LUTs: every delay timed)", async () => {
    const dir = await unit("sig-hx", SMALL_UNIT);
    const hx = await runCli(["synth", dir, "--target", "ice40-hx", "--fmax", "--json"]);
    expect(hx.code).toBe(0);
    const result = JSON.parse(hx.stdout.join("\n")) as {
      target: string;
      lut: number;
      dsp: number;
      fmaxMHz: number;
      criticalPath: { delayNs: number; through: string; untimed?: string };
      cells: Record<string, number>;
    };
    expect(result.target).toBe("ice40-hx");
    expect(result.dsp).toBe(0);
    expect(Object.keys(result.cells).every((type) => /^SB_(LUT4|CARRY|DFF\w*)$/.test(type))).toBe(true);
    expect(result.criticalPath.untimed).toBeUndefined();
    expect(result.fmaxMHz).toBeLessThanOrEqual(1000 / result.criticalPath.delayNs);
    expect(result.criticalPath.through).toMatch(/\d+ LUTs?/);

    const up = await runCli(["synth", dir, "--target", "ice40", "--json"]);
    expect(up.code).toBe(0);
    const ice40 = JSON.parse(up.stdout.join("\n")) as { lut: number; dsp: number };
    // The multiplier moves from the SB_MAC16 into LUTs.
    expect(ice40.dsp).toBe(1);
    expect(result.lut).toBeGreaterThan(ice40.lut);

    const manifest = manifestOf(dir);
    expect(Object.keys(manifest.synthesis ?? {}).sort()).toEqual(["ice40", "ice40-hx"]);
    expect(manifest.synthesis!["ice40-hx"]).toMatchObject({ fmaxMHz: result.fmaxMHz, lut: result.lut });
    const report = readFileSync(join(dir, "report.md"), "utf8");
    expect(report).toMatch(/\| ice40-hx \| \d+ \| \d+ \| 0 \| 0 \| \d+ \| [\d.]+ \|/);
    expect(report).toContain("ice40-hx on iCE40 HX8K:");
  });

  it("sweep --fmax measures on every --synth target that allows it, and rows carry the critical path", async () => {
    const dir = join(root, "sweep");
    const args = [
      "sweep",
      "--function",
      "sigmoid",
      "--max-error",
      "2^-5",
      "--in",
      "s3.6",
      "--out",
      "u1.7",
      "--synth",
      "ice40-hx,xc7",
      "--fmax",
      "--jobs",
      "1",
      "--out-dir",
      dir,
    ];
    expect((await runCli(args)).code).toBe(0);
    const [row] = JSON.parse(readFileSync(join(dir, "sweep.json"), "utf8")) as {
      fmax: number;
      bram: number;
      synth: Record<string, { lut: number; bram: number; fmaxMHz?: number; criticalPathNs?: number }>;
    }[];
    const hx = row!.synth["ice40-hx"]!;
    expect(hx.fmaxMHz).toBeGreaterThan(0);
    expect(hx.fmaxMHz).toBeLessThanOrEqual(1000 / hx.criticalPathNs!);
    expect(row!.fmax).toBe(hx.fmaxMHz);
    expect(row!.bram).toBe(0);
    expect(row!.synth.xc7!.fmaxMHz).toBeUndefined();
    const header = readFileSync(join(dir, "sweep.csv"), "utf8").split("\n")[0]!.split(",");
    expect(header).toEqual(expect.arrayContaining(["bram", "ice40-hx_bram", "ice40-hx_fmax", "xc7_fmax"]));
    // A rerun finds everything in the cache.
    const rerun = await runCli(args);
    expect(rerun.stdout.join("\n")).toContain("1 from cache");
  });

  it("generic maps the multiplier to LUTs: no cell is left uncounted", async () => {
    const dir = await unit("sig-generic", SMALL_UNIT);
    const generic = await runCli(["synth", dir, "--target", "generic", "--json"]);
    expect(generic.code).toBe(0);
    const result = JSON.parse(generic.stdout.join("\n")) as { lut: number; cells: Record<string, number> };
    expect(Object.keys(result.cells)).toEqual(["$lut"]);
    expect(result.lut).toBe(result.cells.$lut);
  });

  it("refuses --fmax on a target without place and route, and unknown targets, writing nothing", async () => {
    const dir = await unit("sig-refused", SMALL_UNIT);
    const before = readFileSync(join(dir, "manifest.json"), "utf8");
    const fmax = expectUserError(await runCli(["synth", dir, "--target", "xc7", "--fmax"]));
    expect(fmax).toMatch(/^pwlgen: error: --fmax: .*ice40 \(UP5K\) or ice40-hx \(HX8K\)/);
    const target = expectUserError(await runCli(["synth", dir, "--target", "ice40hx"]));
    expect(target).toMatch(/^pwlgen: error: --target: "ice40hx"/);
    const sweep = expectUserError(
      await runCli([
        "sweep",
        "--function",
        "sigmoid",
        "--max-error",
        "2^-6",
        "--in",
        "s4.8",
        "--out",
        "u1.9",
        "--synth",
        "xc7,generic",
        "--fmax",
        "--out-dir",
        join(root, "never"),
      ]),
    );
    expect(sweep).toMatch(/^pwlgen: error: --fmax: .*--synth ice40 \(UP5K\) or ice40-hx/);
    expect(readFileSync(join(dir, "manifest.json"), "utf8")).toBe(before);
  });
});

describe("--select-by yosys: auto ranks its finalists by what Yosys builds", () => {
  it.each(["ice40", "xc7"])(
    "on %s the unit is the finalist with the fewest LUTs measured, the classic optimal and uniform designs among them, and synth agrees",
    async (target) => {
      const dir = await unit(`select-${target}`, { ...SMALL_UNIT, target, "select-by": "yosys" });
      const manifest = JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8")) as {
        choice: {
          reason: string;
          candidates: {
            method: string;
            architecture: string;
            screened: boolean;
            measured?: { lut: number; dsp: number; bram: number };
          }[];
        };
      };
      const candidates = manifest.choice.candidates;
      const finalists = candidates.filter((c) => c.measured);
      const score = (c: (typeof finalists)[number]): number =>
        c.measured!.lut + 16 * (c.measured!.dsp + c.measured!.bram);
      // The winner is first, measured, and no finalist measures cheaper.
      expect(candidates[0]!.measured).toBeDefined();
      for (const f of finalists) expect(score(candidates[0]!)).toBeLessThanOrEqual(score(f));
      // The classic designs were synthesized: the classic comparator tree (optimal with
      // nothing dropped) and uniform segmentation with two's complement folding.
      expect(
        finalists.some((c) => c.method === "optimal" && c.architecture === "comparator tree, folded point"),
      ).toBe(true);
      expect(
        finalists.some((c) => /^uniform \d+$/.test(c.method) && c.architecture === "uniform, folded point"),
      ).toBe(true);
      expect(manifest.choice.reason).toContain("measured by Yosys");
      // What synth measures on the written unit is what the search measured.
      const synth = await runCli(["synth", dir, "--target", target, "--json"]);
      expect(synth.code).toBe(0);
      expect((JSON.parse(synth.stdout.join("\n")) as { lut: number }).lut).toBe(candidates[0]!.measured!.lut);
    },
  );
});
