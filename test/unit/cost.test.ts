import { beforeAll, describe, expect, it } from "vitest";
import { comparisonAccuracy, type Comparison } from "../support/cost-corpus.js";
import {
  REFRESH_COMMAND,
  type Regenerated,
  accuracyTable,
  compare,
  isStale,
  readCorpus,
  regenerate,
} from "../support/cost-corpus.js";
import { TARGET_NAMES } from "../../gen/synth/targets.js";

/**
 * The cost model against Yosys on the calibration corpus (test/fixtures/cost-corpus.json):
 * every design is regenerated from its spec and estimated with estimateCost, and compared
 * with the Yosys counts recorded for it (scripts/cost-corpus.ts measures them; no Yosys
 * runs here). The criteria are the ones issue 10 sets: per target, Spearman's rank
 * correlation of estimated and measured LUTs at least 0.9, and the median relative error
 * at most 15%.
 */
const corpus = readCorpus();
let regenerated: Regenerated[] = [];
const comparisons = new Map<string, Comparison>();

beforeAll(() => {
  regenerated = corpus.designs.map(regenerate);
  const designs = regenerated.map((r) => r.design);
  for (const target of TARGET_NAMES) comparisons.set(target, compare(corpus.designs, designs, target));
  console.log(
    [
      `cost model against Yosys ${corpus.yosys}, ${corpus.designs.length} designs:`,
      ...accuracyTable([...comparisons.values()]),
    ].join("\n"),
  );
});

describe("the calibration corpus", () => {
  it("holds at least 120 designs, each measured on every target", () => {
    expect(corpus.designs.length).toBeGreaterThanOrEqual(120);
    const missing = corpus.designs.flatMap((entry) =>
      TARGET_NAMES.filter((target) => !entry.yosys[target]).map((target) => `${entry.name} (${target})`),
    );
    expect(missing, `designs without Yosys counts: measure them with \`${REFRESH_COMMAND}\``).toEqual([]);
  });

  it("pins the architecture of every design (no --method auto: the search must not change the corpus)", () => {
    const loose = corpus.designs.filter((entry) => {
      const spec = entry.spec;
      const index = spec.method === "uniform" || spec.method === "grid";
      return (
        spec.method === undefined ||
        spec.method === "auto" ||
        spec.dropInputBits === undefined ||
        spec.dropOutputBits === undefined ||
        (index && spec.localOffset === undefined) ||
        (spec.method === "grid" && spec.indexBits === undefined) ||
        (spec.method === "optimal" && spec.derivative === "pwl")
      );
    });
    expect(loose.map((entry) => entry.name)).toEqual([]);
  });

  it("is current: each design's spec hash and Verilog are those the counts were measured on", () => {
    const stale = corpus.designs
      .filter((entry, i) => isStale(entry, regenerated[i]!))
      .map((entry) => entry.name);
    expect(
      stale,
      `the generator now builds different hardware for ${stale.length} corpus designs; measure them again with \`${REFRESH_COMMAND}\` (only stale and missing designs are synthesized) and commit test/fixtures/cost-corpus.json and gen/cost/coefficients.ts`,
    ).toEqual([]);
  });
});

describe.each(TARGET_NAMES)("the cost model on %s", (target) => {
  it("ranks and sizes LUTs like Yosys: Spearman >= 0.9, median relative error <= 15%", () => {
    const lut = comparisonAccuracy(comparisons.get(target)!, "lut");
    expect(lut.designs).toBe(corpus.designs.length);
    expect(lut.spearman).toBeGreaterThanOrEqual(0.9);
    expect(lut.medianRelativeError).toBeLessThanOrEqual(0.15);
  });

  it("counts DSP blocks exactly on at least 95% of the designs", () => {
    const dsp = comparisonAccuracy(comparisons.get(target)!, "dsp");
    expect(dsp.exact / dsp.designs).toBeGreaterThanOrEqual(0.95);
  });

  it("counts block RAMs exactly on at least 95% of the designs", () => {
    const bram = comparisonAccuracy(comparisons.get(target)!, "bram");
    expect(bram.exact / bram.designs).toBeGreaterThanOrEqual(0.95);
  });
});
