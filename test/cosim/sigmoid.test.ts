import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { generate } from "../../gen/generate.js";
import { writeUnit } from "../../gen/write.js";
import { verifyUnit } from "../../sim/verify.js";
import { cosimulate } from "../support/cosim.js";

describe("sigmoid cosimulation, exhaustive, Icarus Verilog and Verilator", () => {
  it("README example: s4.12 -> u1.15 at 2^-10, combinational (auto for ice40)", async () => {
    const g = await cosimulate({ function: "sigmoid", in: "s4.12", out: "u1.15", maxError: "2^-10" });
    const choice = g.y.choice!;
    expect(choice.method).toBe("auto");
    // The paper's measure stays visible: the fewest segments, folded, is 10.
    expect(choice.optimalSegments).toBe(10);
    // The winner was built on every code and is no dearer, by the cost model, than any
    // other candidate built on every code (the optimal design among them).
    const [winner, ...others] = choice.candidates;
    expect(winner!.screened).toBe(false);
    const exact = others.filter((c) => !c.screened);
    expect(exact.some((c) => c.method === "optimal")).toBe(true);
    for (const other of exact) expect(winner!.estimate.score).toBeLessThanOrEqual(other.estimate.score);
  });

  it("README example with --method optimal: 10 segments folded (19 without folding)", async () => {
    const g = await cosimulate({
      function: "sigmoid",
      in: "s4.12",
      out: "u1.15",
      maxError: "2^-10",
      method: "optimal",
    });
    expect(g.design.y.breakpoints.length).toBe(10);
    expect(g.y.provenance!.unfolded).toMatchObject({ segments: 19 });
  });

  it("s4.12 -> u1.15 at half an ulp (639 segments), 3 pipeline stages", async () => {
    await cosimulate({ function: "sigmoid", in: "s4.12", out: "u1.15", maxError: "0.5ulp", pipeline: 3 });
  });

  it("s3.9 -> u1.11 at 2^-8, half-even, 1 pipeline stage", async () => {
    await cosimulate({
      function: "sigmoid",
      in: "s3.9",
      out: "u1.11",
      maxError: "2^-8",
      rounding: "half-even",
      pipeline: 1,
    });
  });

  it("u4.10 -> u0.12 at 3ulp, truncate, 4 pipeline stages", async () => {
    await cosimulate({
      function: "sigmoid",
      in: "u4.10",
      out: "u0.12",
      maxError: "3ulp",
      rounding: "truncate",
      pipeline: 4,
    });
  });

  it("a single segment (budget 1), 2 pipeline stages", async () => {
    await cosimulate({ function: "sigmoid", in: "s2.6", out: "u1.6", segments: 1, pipeline: 2 });
  });

  it("20-bit input s4.16 -> u1.15 at 2^-12: all 1048576 codes", async () => {
    await cosimulate({ function: "sigmoid", in: "s4.16", out: "u1.15", maxError: "2^-12" });
  });

  it("above the exhaustive limit: corners and a seeded sample", async () => {
    await cosimulate({
      function: "sigmoid",
      in: "s4.12",
      out: "u1.15",
      maxError: "2^-9",
      exhaustiveLimit: 12,
      randomVectors: 5000,
      pipeline: 2,
    });
  });
});

describe("the bit-exact check can fail", () => {
  it("a corrupted expected value is reported as a mismatch by both simulators", async () => {
    const dir = mkdtempSync(join(tmpdir(), "pwlgen-corrupt-"));
    try {
      const written = await writeUnit(
        generate({ function: "sigmoid", in: "s3.5", out: "u1.7", maxError: "2^-6", pipeline: 2 }),
        {
          outDir: join(dir, "unit"),
        },
      );
      const vectors = join(written.dir, written.unit.names.vectors);
      const lines = readFileSync(vectors, "utf8").trimEnd().split("\n");
      // Flip the lowest bit of the expected output of vector 100.
      lines[100] = (parseInt(lines[100]!, 16) ^ 1).toString(16).padStart(lines[100]!.length, "0");
      writeFileSync(vectors, `${lines.join("\n")}\n`);
      const verification = await verifyUnit(written.dir, "all", { lint: false });
      expect(verification.passed).toBe(false);
      for (const result of verification.results) {
        expect(result.mismatches, result.simulator).toBe(1);
        expect(result.firstMismatches[0]).toMatch(/^x=[0-9a-f]+ expected=[0-9a-f]+ got=[0-9a-f]+$/);
      }
      // A truncated vector file (fewer lines than the testbench expects) fails too.
      writeFileSync(vectors, lines.slice(0, 50).join("\n") + "\n");
      appendFileSync(vectors, "");
      const short = await verifyUnit(written.dir, "iverilog", { lint: false });
      expect(short.passed).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
