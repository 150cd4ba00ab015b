import { describe, expect, it } from "vitest";
import { generate } from "../../gen/generate.js";

/**
 * The trade the paper describes, on the bit-exact hardware: the optimal segmenter never
 * needs more segments than the paper's least-squares greedy growth, which never needs more
 * than uniform power-of-two segmentation; each meets the bound on every code.
 */
const functions = ["sigmoid", "tanh", "gelu", "silu"] as const;
const outputs = { sigmoid: "u1.15", tanh: "s1.15", gelu: "s4.12", silu: "s4.12" } as const;

describe("optimal <= lsq-greedy <= uniform in segment count", () => {
  for (const fn of functions) {
    for (const k of [6, 8, 10]) {
      it(`${fn} s4.12 at 2^-${k}`, () => {
        const counts = (["optimal", "lsq-greedy", "uniform"] as const).map((method) => {
          const g = generate({ function: fn, in: "s4.12", out: outputs[fn], maxError: 2 ** -k, method });
          expect(g.y.accuracy.max).toBeLessThanOrEqual(2 ** -k);
          expect(g.design.y.select.kind).toBe(method === "uniform" ? "index" : "tree");
          return g.design.y.breakpoints.length;
        });
        const [optimal, lsq, uniform] = counts as [number, number, number];
        expect(optimal).toBeLessThanOrEqual(lsq);
        expect(lsq).toBeLessThanOrEqual(uniform);
        expect(Math.log2(uniform) % 1).toBe(0);
      });
    }
  }
});

describe("uniform segments", () => {
  it("are equal, power-of-two aligned, and the count is the smallest power of two that works", () => {
    const g = generate({ function: "gelu", in: "s4.8", out: "s4.10", maxError: "2^-8", method: "uniform" });
    const channel = g.design.y;
    if (channel.select.kind !== "index") throw new Error("not an index select");
    const size = 2 ** channel.select.shift;
    channel.breakpoints.forEach((b, i) => expect(b).toBe(-2048 + i * size));
    // Half as many segments must miss the bound somewhere.
    const fewer = () =>
      generate({
        function: "gelu",
        in: "s4.8",
        out: "s4.10",
        segments: channel.breakpoints.length / 2,
        method: "uniform",
      });
    expect(fewer().y.accuracy.max).toBeGreaterThan(2 ** -8);
  });
});
