import { describe, expect, it } from "vitest";
import { bitsFor, maxCode, minCode, toReal, ulp, width } from "../../gen/fixed/format.js";
import { sigmoid } from "../../gen/functions/sigmoid.js";
import { generate } from "../../gen/generate.js";
import { evaluate } from "../../gen/model/golden.js";
import { ampleFormats } from "../../gen/quantize/widths.js";
import { UserError } from "../../gen/spec/errors.js";
import { datapathShape, evaluateLine } from "../../gen/segment/datapath.js";
import { countOptimal } from "../../gen/segment/optimal.js";
import { makeProblem } from "../support/problems.js";

/** The accuracy check, written independently of model/accuracy.ts: every code, plain loop. */
function worstError(design: ReturnType<typeof generate>["design"], f: (x: number) => number): number {
  let worst = 0;
  for (let x = minCode(design.input); x <= maxCode(design.input); x++) {
    const y = evaluate(design, x) * ulp(design.y.output);
    worst = Math.max(worst, Math.abs(y - f(toReal(x, design.input))));
  }
  return worst;
}

describe("generated designs meet their bound on every input code", () => {
  const cases = [
    { spec: { function: "sigmoid", in: "s4.12", out: "u1.15", maxError: "2^-10" }, f: sigmoid },
    { spec: { function: "tanh", in: "s3.13", out: "s1.15", maxError: "1e-3" }, f: Math.tanh },
    { spec: { function: "sigmoid", in: "s4.10", out: "u1.15", maxError: "0.5ulp" }, f: sigmoid },
    {
      spec: { function: "tanh", in: "s3.9", out: "s1.11", maxError: "2^-9", rounding: "half-even" },
      f: Math.tanh,
    },
    {
      spec: { function: "tanh", in: "s3.9", out: "s1.11", maxError: "2^-9", rounding: "truncate" },
      f: Math.tanh,
    },
    { spec: { function: "tanh", in: "s2.8", out: "s1.9", maxError: "2^-7", overflow: "wrap" }, f: Math.tanh },
    { spec: { function: "sigmoid", in: "u4.8", out: "u0.12", maxError: "3ulp" }, f: sigmoid },
  ] as const;
  for (const { spec, f } of cases) {
    it(`${spec.function} ${spec.in} -> ${spec.out} at ${spec.maxError}`, () => {
      const generation = generate(spec);
      const worst = worstError(generation.design, f);
      expect(worst).toBeLessThanOrEqual(generation.design.y.bound);
      expect(generation.y.accuracy.max).toBe(worst);
    });
  }
});

describe("the frozen IR", () => {
  // Unfolded, so that table codes are input codes.
  const generation = generate({
    function: "tanh",
    in: "s3.10",
    out: "s1.12",
    maxError: "2^-9",
    symmetry: "off",
    method: "optimal",
  });
  const { design } = generation;
  const channel = design.y;

  it("is deeply frozen", () => {
    expect(Object.isFrozen(design)).toBe(true);
    expect(Object.isFrozen(channel.breakpoints)).toBe(true);
    expect(() => (channel.slopes as number[]).push(1)).toThrow();
  });

  it("golden model equals the segmenter's datapath with full saturation on every code", () => {
    const shape = datapathShape({
      input: design.input,
      output: channel.output,
      rounding: channel.rounding,
      overflow: channel.overflow,
      slope: channel.slopeFormat,
      intercept: channel.interceptFormat,
    });
    let segment = 0;
    for (let x = minCode(design.input); x <= maxCode(design.input); x++) {
      if (segment + 1 < channel.breakpoints.length && x >= channel.breakpoints[segment + 1]!) segment++;
      expect(evaluate(design, x)).toBe(
        evaluateLine(channel.slopes[segment]!, channel.intercepts[segment]!, x, shape),
      );
    }
  });

  it("accumulator width holds every value the accumulator takes", () => {
    let lo = 0;
    let hi = 0;
    let segment = 0;
    for (let x = minCode(design.input); x <= maxCode(design.input); x++) {
      if (segment + 1 < channel.breakpoints.length && x >= channel.breakpoints[segment + 1]!) segment++;
      const acc = channel.slopes[segment]! * x + channel.intercepts[segment]! * 2 ** channel.interceptShift;
      lo = Math.min(lo, acc);
      hi = Math.max(hi, acc);
    }
    expect(channel.accumulatorWidth).toBeGreaterThanOrEqual(bitsFor(lo, hi, true));
    expect(channel.accumulatorWidth).toBeGreaterThanOrEqual(channel.productShift + width(channel.output));
  });

  it("coefficients fit their formats", () => {
    for (let s = 0; s < channel.slopes.length; s++) {
      expect(channel.slopes[s]).toBeGreaterThanOrEqual(minCode(channel.slopeFormat));
      expect(channel.slopes[s]).toBeLessThanOrEqual(maxCode(channel.slopeFormat));
      expect(channel.intercepts[s]).toBeGreaterThanOrEqual(minCode(channel.interceptFormat));
      expect(channel.intercepts[s]).toBeLessThanOrEqual(maxCode(channel.interceptFormat));
    }
  });
});

describe("segment counts", () => {
  it("follow the theory N(e) ~ integral(sqrt|f''|) / (4 sqrt(e)) for sigmoid (integral 2.40)", () => {
    for (const k of [8, 10, 12]) {
      const bound = 2 ** -k;
      const { design } = generate({
        function: "sigmoid",
        in: "s4.14",
        out: "u1.20",
        maxError: bound,
        symmetry: "off",
        method: "optimal",
      });
      const predicted = 2.4 / (4 * Math.sqrt(bound));
      expect(design.y.breakpoints.length).toBeGreaterThan(0.8 * predicted);
      expect(design.y.breakpoints.length).toBeLessThan(1.25 * predicted);
    }
  });

  it("a segment budget yields the smallest bound that budget reaches", () => {
    const generation = generate({ function: "sigmoid", in: "s4.10", out: "u1.12", segments: 6 });
    const channel = generation.design.y;
    expect(channel.breakpoints.length).toBeLessThanOrEqual(6);
    expect(channel.bound).toBe(generation.y.accuracy.max);
    // Just below that bound, the same generous formats need more than 6 segments.
    const tighter = makeProblem({
      f: sigmoid,
      input: "s4.10",
      output: "u1.12",
      bound: channel.bound * (1 - 1e-9),
    });
    expect(countOptimal(tighter, ampleFormats(tighter))).toBeGreaterThan(6);
  });

  it("widths chosen keep the count of generous formats", () => {
    const generation = generate({ function: "tanh", in: "s3.12", out: "s1.14", maxError: "2^-11" });
    expect(generation.design.y.breakpoints.length).toBe(generation.y.provenance!.ampleSegments);
  });
});

describe("infeasible bounds", () => {
  it("below half an output ulp names the smallest reachable bound", () => {
    const run = () => generate({ function: "sigmoid", in: "s4.12", out: "u1.15", maxError: "2^-17" });
    expect(run).toThrow(UserError);
    expect(run).toThrow(
      /--max-error: "2\^-17" is below half an output ulp.*smallest reachable bound is 1\.5258\de-5 \(0\.5000ulp\)/,
    );
  });

  it("outside the output range names where", () => {
    const run = () => generate({ function: "tanh", in: "s3.8", out: "u1.15", maxError: "2^-8" });
    expect(run).toThrow(
      /^--out: "u1.15" cannot hold tanh\(-4\) = -0.99932930 within 2\^-8: its range is \[0, 1.99996948[0-9]*\]/,
    );
  });

  it("with too narrow a slope format names the smallest bound those formats reach", () => {
    const run = () =>
      generate({
        function: "sigmoid",
        in: "s4.8",
        out: "u1.10",
        maxError: "0.5ulp",
        slopeFormat: "u0.2",
        interceptFormat: "u1.0",
      });
    expect(run).toThrow(
      /--slope-format: "u0.2" \(with --intercept-format u1.0\) cannot reach the bound .* smallest bound these coefficient formats reach is/,
    );
  });
});
