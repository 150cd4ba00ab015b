import { describe, it } from "vitest";
import { cosimulate } from "../support/cosim.js";

/**
 * Every activation at s4.12 -> a format that holds its range, within 2^-8: lint clean and
 * bit-exact with the golden model on all 65536 codes in Icarus Verilog and Verilator.
 */
const outputs: Record<string, string> = {
  sigmoid: "s2.14",
  tanh: "s2.14",
  gelu: "s4.12",
  gelu_tanh: "s4.12",
  silu: "s4.12",
  softplus: "s5.11",
  elu: "s4.12",
  selu: "s5.11",
  mish: "s4.12",
  softsign: "s2.14",
  exp: "u12.8",
};

describe("every activation function, exhaustive cosimulation at 2^-8", () => {
  for (const [fn, out] of Object.entries(outputs)) {
    it(`${fn} s4.12 -> ${out}`, async () => {
      await cosimulate({ function: fn as "sigmoid", in: "s4.12", out, maxError: "2^-8" });
    });
  }

  it("silu with --beta 1.702 and elu with --alpha 0.5, pipelined", async () => {
    await cosimulate({
      function: "silu",
      beta: 1.702,
      in: "s4.12",
      out: "s4.12",
      maxError: "2^-8",
      pipeline: 2,
    });
    await cosimulate({
      function: "elu",
      alpha: 0.5,
      in: "s4.12",
      out: "s4.12",
      maxError: "2^-8",
      pipeline: 3,
    });
  });

  it('--expr "x*sigmoid(1.702*x)"', async () => {
    await cosimulate({ expr: "x*sigmoid(1.702*x)", in: "s4.12", out: "s4.12", maxError: "2^-8" });
  });
});
