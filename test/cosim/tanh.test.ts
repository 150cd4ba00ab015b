import { describe, it } from "vitest";
import { cosimulate } from "../support/cosim.js";

describe("tanh cosimulation, exhaustive, Icarus Verilog and Verilator", () => {
  it("README example: s3.13 -> s1.15 at 1e-3, 2 pipeline stages", async () => {
    await cosimulate({ function: "tanh", in: "s3.13", out: "s1.15", maxError: "1e-3", pipeline: 2 });
  });

  it("s3.13 -> s1.15 at 2^-12, combinational", async () => {
    await cosimulate({ function: "tanh", in: "s3.13", out: "s1.15", maxError: "2^-12" });
  });

  it("s3.9 -> s1.11 at 2^-9, half-even, 4 pipeline stages", async () => {
    await cosimulate({
      function: "tanh",
      in: "s3.9",
      out: "s1.11",
      maxError: "2^-9",
      rounding: "half-even",
      pipeline: 4,
    });
  });

  it("u3.9 -> s1.13 at 1ulp, truncate, 3 pipeline stages", async () => {
    await cosimulate({
      function: "tanh",
      in: "u3.9",
      out: "s1.13",
      maxError: "1ulp",
      rounding: "truncate",
      pipeline: 3,
    });
  });

  it("s2.8 -> s1.9 at 2^-7 with wrap overflow (no clamp logic), 1 pipeline stage", async () => {
    await cosimulate({
      function: "tanh",
      in: "s2.8",
      out: "s1.9",
      maxError: "2^-7",
      overflow: "wrap",
      pipeline: 1,
    });
  });

  it("segment budget 12 on s4.12 -> s2.14, combinational", async () => {
    await cosimulate({ function: "tanh", in: "s4.12", out: "s2.14", segments: 12 });
  });
});
