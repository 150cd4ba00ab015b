import { describe, it } from "vitest";
import { cosimulate } from "../support/cosim.js";

/** Every derivative, both ways of producing dy, and every method, in both simulators. */
const derivatives: Record<string, string> = {
  dsigmoid: "s2.14",
  dtanh: "s2.14",
  dgelu: "s2.14",
  dgelu_tanh: "s2.14",
  dsilu: "s2.14",
  dsoftplus: "s2.14",
  delu: "s2.14",
  dselu: "s2.14",
  dmish: "s2.14",
  dsoftsign: "s2.14",
};

describe("every derivative function, exhaustive cosimulation at 2^-8", () => {
  for (const [fn, out] of Object.entries(derivatives)) {
    it(`${fn} s4.12 -> ${out}`, async () => {
      await cosimulate({ function: fn as "dsigmoid", in: "s4.12", out, maxError: "2^-8" });
    });
  }
});

describe("f and f' from one unit: dy checked bit-exactly like y", () => {
  it("sigmoid, --derivative slope (folded: dy even), 2 pipeline stages", async () => {
    await cosimulate({
      function: "sigmoid",
      in: "s4.12",
      out: "s2.14",
      maxError: "2^-8",
      derivative: "slope",
      dout: "s2.14",
      pipeline: 2,
    });
  });

  it("dsigmoid, --derivative slope (even table: dy negated for x < 0), 4 stages", async () => {
    await cosimulate({
      function: "dsigmoid",
      in: "s4.12",
      out: "s2.14",
      maxError: "2^-8",
      derivative: "slope",
      dout: "s2.14",
      pipeline: 4,
    });
  });

  it("tanh, --derivative pwl, 3 pipeline stages", async () => {
    await cosimulate({
      function: "tanh",
      in: "s4.12",
      out: "s2.14",
      maxError: "2^-8",
      derivative: "pwl",
      dout: "s2.14",
      dmaxError: "2^-9",
      pipeline: 3,
    });
  });

  it("tanh --exact-zero with a pwl dy (y exactly odd, dy exactly even), 1 pipeline stage", async () => {
    await cosimulate({
      function: "tanh",
      in: "s4.10",
      out: "s1.13",
      maxError: "2^-8",
      derivative: "pwl",
      dout: "s2.12",
      exactZero: true,
      pipeline: 1,
    });
  });

  it("gelu (no symmetry) with a point-symmetric dgelu, --derivative pwl, combinational", async () => {
    await cosimulate({
      function: "gelu",
      in: "s4.12",
      out: "s4.12",
      maxError: "2^-8",
      derivative: "pwl",
      dout: "s2.14",
    });
  });
});

describe("segmentation methods in hardware", () => {
  it("uniform, folded (tanh), 1 pipeline stage", async () => {
    await cosimulate({
      function: "tanh",
      in: "s4.12",
      out: "s2.14",
      maxError: "2^-8",
      method: "uniform",
      pipeline: 1,
    });
  });

  it("uniform, unfolded (silu), with --derivative slope", async () => {
    await cosimulate({
      function: "silu",
      in: "s4.12",
      out: "s4.12",
      maxError: "2^-8",
      method: "uniform",
      derivative: "slope",
      dout: "s2.14",
    });
  });

  it("lsq-greedy (sigmoid) with --derivative pwl, 2 stages", async () => {
    await cosimulate({
      function: "sigmoid",
      in: "s4.12",
      out: "s2.14",
      maxError: "2^-10",
      method: "lsq-greedy",
      derivative: "pwl",
      dout: "s2.14",
      pipeline: 2,
    });
  });
});
