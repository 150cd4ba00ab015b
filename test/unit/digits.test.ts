import { describe, expect, it } from "vitest";
import { width } from "../../gen/fixed/format.js";
import { generate } from "../../gen/generate.js";
import { renderUnit } from "../../gen/unit.js";
import { sigmoid } from "../../gen/functions/sigmoid.js";
import {
  allowedSlopes,
  digitsValue,
  lowerBound,
  nearestAllowed,
  slopeDigits,
} from "../../gen/segment/digits.js";
import { countOptimal, segmentOptimal } from "../../gen/segment/optimal.js";
import { indexSegments } from "../../gen/segment/uniform.js";
import { lsqGreedyMethod } from "../../gen/segment/lsq-greedy.js";
import { bruteForceMinimum, signedDigitWeight } from "../support/bruteforce.js";
import { formatsFor, makeProblem } from "../support/problems.js";

describe("slope digits (non-adjacent form)", () => {
  it("has the value, no two adjacent digits, and the fewest digits of any signed-digit form", () => {
    for (let m = -5000; m <= 5000; m++) {
      const digits = slopeDigits(m);
      expect(digitsValue(digits)).toBe(m);
      for (let i = 1; i < digits.length; i++) {
        expect(digits[i - 1]!.shift - digits[i]!.shift).toBeGreaterThanOrEqual(2);
      }
      expect(digits.length).toBe(signedDigitWeight(m));
    }
  });

  it("lists every slope in range with at most D digits, and no other", () => {
    for (const [d, min, max] of [
      [1, -300, 300],
      [2, -1000, 1000],
      [3, 0, 4095],
      [2, -64, 63],
    ] as const) {
      const expected: number[] = [];
      for (let m = min; m <= max; m++) if (signedDigitWeight(m) <= d) expected.push(m);
      expect([...allowedSlopes(d, min, max)]).toEqual(expected);
    }
  });

  it("finds the nearest allowed slope and list positions", () => {
    const list = allowedSlopes(1, -16, 16);
    expect([...list]).toEqual([-16, -8, -4, -2, -1, 0, 1, 2, 4, 8, 16]);
    expect(nearestAllowed(list, 5.9)).toBe(4);
    expect(nearestAllowed(list, 6)).toBe(4);
    expect(nearestAllowed(list, 6.1)).toBe(8);
    expect(nearestAllowed(list, 100)).toBe(16);
    expect(lowerBound(list, 3)).toBe(8);
  });
});

/** Small problems where the digit limit binds: the segmenter's count is the brute-force minimum. */
const cases = [
  { f: sigmoid, input: "s3.4", output: "u1.7", bound: 2 ** -6, slope: "s1.6", intercept: "u1.7" },
  { f: Math.tanh, input: "s3.4", output: "s1.6", bound: 2 ** -5, slope: "s1.7", intercept: "s1.7" },
  { f: Math.exp, input: "s2.4", output: "u3.5", bound: 2 ** -4, slope: "u3.6", intercept: "u3.6" },
  // A coarse intercept (k > 0): allowed slopes are searched for one with a valid intercept.
  { f: sigmoid, input: "s3.4", output: "u1.8", bound: 2 ** -6, slope: "s2.7", intercept: "u1.5" },
];

describe("--slope-digits: the segment count equals the brute-force minimum", () => {
  for (const c of cases) {
    for (const digits of [1, 2, 3]) {
      it(`${c.f.name || "tanh"} ${c.input} -> ${c.output} slope ${c.slope} intercept ${c.intercept}, ${digits} digits`, () => {
        const problem = makeProblem(c);
        const formats = { ...formatsFor(problem, c.slope, c.intercept), slopeDigits: digits };
        const count = countOptimal(problem, formats);
        expect(count).toBeLessThan(Infinity);
        expect(count).toBe(bruteForceMinimum(problem, formats));
        // Every method's slopes have at most D digits.
        const optimal = segmentOptimal(problem, formats);
        const uniform = indexSegments(problem, formats, 5, "uniform");
        const greedy = lsqGreedyMethod.segment(problem, formats);
        for (const outcome of [optimal, uniform, greedy]) {
          if (!outcome.ok) continue;
          for (const segment of outcome.segments)
            expect(signedDigitWeight(segment.slope)).toBeLessThanOrEqual(digits);
        }
        expect(optimal.ok && optimal.segments.length).toBe(count);
      });
    }
  }

  it("the digit limit costs segments where it binds (and never saves any)", () => {
    const c = cases[0]!;
    const problem = makeProblem(c);
    const free = countOptimal(problem, formatsFor(problem, c.slope, c.intercept));
    const one = countOptimal(problem, { ...formatsFor(problem, c.slope, c.intercept), slopeDigits: 1 });
    expect(one).toBeGreaterThan(free);
  });
});

describe("--slope-digits in the report and manifest", () => {
  it("shows the ROM's stored slope field (digits), not the slope format's width, and no multiplier", async () => {
    const generation = generate({
      function: "sigmoid",
      in: "s4.8",
      out: "u1.10",
      maxError: "2^-7",
      method: "uniform",
      slopeDigits: 2,
    });
    const channel = generation.design.y;
    const shiftAdd = channel.shiftAdd!;
    const { files, names } = await renderUnit(generation);
    const report = files.get(names.report)!;
    const manifest = JSON.parse(files.get("manifest.json")!) as {
      hardware: { romBits: number; shiftAdd: { digits: number; slopeFieldBits: number } };
    };
    const field = manifest.hardware.shiftAdd.slopeFieldBits;
    expect(manifest.hardware.shiftAdd.digits).toBe(2);
    expect(field).toBeGreaterThanOrEqual(2 * 3);
    expect(field % shiftAdd.digits).toBe(0);
    const entries = 2 ** (channel.select.kind === "index" ? channel.select.indexBits : 0);
    const entryBits = field + width(channel.interceptFormat);
    expect(manifest.hardware.romBits).toBe(entries * entryBits);
    expect(report).toContain(`| ROM | ${entries} x ${entryBits} = ${entries * entryBits} bits |`);
    expect(report).toContain("as 2 signed power-of-two digits");
    expect(report).toContain("| multiplier | none: shift-add");
  });

  it("says optimal's count is under the digit limit when --slope-digits is given", async () => {
    const spec = {
      function: "sigmoid",
      in: "s4.8",
      out: "u1.10",
      maxError: "2^-7",
      target: "ice40-hx",
    } as const;
    const free = generate(spec);
    const pinned = generate({ ...spec, slopeDigits: 1 });
    expect(free.y.choice?.optimalSlopeDigits).toBeUndefined();
    expect(pinned.y.choice?.optimalSlopeDigits).toBe(1);
    expect(pinned.y.choice!.optimalSegments).toBeGreaterThan(free.y.choice!.optimalSegments);
    const { files, names } = await renderUnit(pinned);
    expect(files.get(names.report)!).toContain("optimal on the classic datapath with 1-digit slopes needs");
  });
});
