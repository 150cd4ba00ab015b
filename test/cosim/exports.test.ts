import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { XmlDocument, XsdValidator } from "libxml2-wasm";
import { afterAll, describe, expect, it } from "vitest";
import { width } from "../../gen/fixed/format.js";
import { generate } from "../../gen/generate.js";
import { evaluateChannel } from "../../gen/model/golden.js";
import type { DesignSpecInput } from "../../gen/spec/schema.js";
import { writeUnit } from "../../gen/write.js";
import { verificationJunit, verifyUnit } from "../../sim/verify.js";
import { randomSpec } from "../support/arbitrary.js";
import { runCli } from "../support/cli.js";
import { firstDifference, readVectors, runCModel, runNumpyModel } from "../support/exports.js";

/**
 * The exports, bit-exact on every code: for the README's example units and 20 random
 * designs, the VHDL in GHDL (analysis with every warning clean, exhaustive testbench
 * PASS), the C model (C99, -Wall -Wextra -Werror -pedantic, UBSan) and the NumPy model
 * each give the golden vectors' outputs on every input code. And JUnit reports of sim and
 * sweep validate against the JUnit schema; a broken ROM word fails naming its first code.
 */
const scratch = mkdtempSync(join(tmpdir(), "pwlgen-exports-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const README_UNITS: Record<string, DesignSpecInput> = {
  sigmoid: { function: "sigmoid", in: "s4.12", out: "u1.15", maxError: "2^-10" },
  tanh_pipelined: { function: "tanh", in: "s3.13", out: "s1.15", maxError: "1e-3", pipeline: 2 },
  sigmoid_dpwl: {
    function: "sigmoid",
    in: "s4.12",
    out: "u1.15",
    maxError: "2^-10",
    derivative: "pwl",
    dout: "u0.16",
    dmaxError: "2^-12",
  },
};

/** Ramp folds (y + c * x for negative x): c = 4, an unsigned output, local offsets, a slope tap. */
const RAMP_UNITS: Record<string, DesignSpecInput> = {
  gelu_ramp: {
    function: "gelu",
    in: "s4.8",
    out: "s4.10",
    maxError: "2^-8",
    method: "uniform",
    symmetry: "ramp",
    foldStyle: "ones",
    pipeline: 3,
  },
  softplus_ramp: { function: "softplus", in: "s4.8", out: "u4.8", maxError: "2^-6", symmetry: "ramp" },
  // Local offsets past the last cell: the magnitude 2^b's offset saturates.
  silu_ramp_offsets: {
    function: "silu",
    in: "s3.9",
    out: "s3.9",
    maxError: "2^-9",
    method: "uniform",
    symmetry: "ramp",
    foldStyle: "twos",
    localOffset: true,
  },
  silu_ramp_tap: {
    function: "silu",
    in: "s3.7",
    out: "s3.9",
    maxError: "2^-7",
    method: "optimal",
    symmetry: "ramp",
    derivative: "slope",
    dout: "s2.9",
  },
};

/** Shift-add slopes (--slope-digits): the VHDL view builds them too; C and NumPy multiply. */
const SHIFT_ADD_UNITS: Record<string, DesignSpecInput> = {
  tanh_shift_add: {
    function: "tanh",
    in: "s3.8",
    out: "s1.9",
    maxError: "2^-7",
    method: "uniform",
    slopeDigits: 2,
    localOffset: true,
    pipeline: 3,
  },
  gelu_shift_add_tree: {
    function: "gelu",
    in: "s3.8",
    out: "s3.8",
    maxError: "2^-7",
    method: "optimal",
    slopeDigits: 1,
  },
};

/**
 * 20 feasible random designs from the property generator, small enough that every code is
 * cheap (inputs of at most 10 bits), each pipeline depth 0..4 four times.
 */
function randomUnits(): Record<string, DesignSpecInput> {
  const units: Record<string, DesignSpecInput> = {};
  const candidates = fc.sample(
    randomSpec.filter((spec) => width(parseWidth(spec.in)) <= 10),
    { seed: 11, numRuns: 200 },
  );
  for (const spec of candidates) {
    const i = Object.keys(units).length;
    if (i === 20) break;
    const pinned = { ...spec, pipeline: i % 5, module: `pwl_random_${i}` };
    try {
      generate(pinned);
    } catch {
      continue; // infeasible: the generator aims at feasible designs, not only those
    }
    units[`random_${i}`] = pinned;
  }
  return units;
}

function parseWidth(name: string): { signed: boolean; intBits: number; fracBits: number } {
  const match = /^([su])(-?\d+)\.(\d+)$/.exec(name)!;
  return { signed: match[1] === "s", intBits: Number(match[2]), fracBits: Number(match[3]) };
}

const random = randomUnits();

describe("the random designs cover the architectures", () => {
  it("20 designs: folded and unfolded, signed and unsigned inputs, every pipeline depth", () => {
    const designs = Object.values(random).map((spec) => generate(spec).design);
    expect(designs).toHaveLength(20);
    expect(new Set(designs.map((d) => d.y.fold.kind !== "none"))).toEqual(new Set([true, false]));
    expect(new Set(designs.map((d) => d.input.signed))).toEqual(new Set([true, false]));
    expect(new Set(designs.map((d) => d.pipeline))).toEqual(new Set([0, 1, 2, 3, 4]));
  });
});

describe.each(Object.entries({ ...README_UNITS, ...RAMP_UNITS, ...SHIFT_ADD_UNITS, ...random }))(
  "%s",
  (name, spec) => {
    it("GHDL, the C model and the NumPy model agree with the golden vectors on every code", async () => {
      const generation = generate(spec);
      const { design } = generation;
      const written = await writeUnit(generation, {
        outDir: join(scratch, name, "unit"),
        hdl: "vhdl",
        exports: ["c", "numpy", "filelist"],
      });
      expect(written.unit.vectors.exhaustive).toBe(true);
      expect(written.unit.vectors.count).toBe(2 ** width(design.input));

      const verification = await verifyUnit(written.dir, "ghdl");
      expect(verification.lint.map((l) => [l.tool, l.status, l.messages])).toEqual([["ghdl", "clean", []]]);
      const [ghdl] = verification.results;
      expect(ghdl?.firstMismatches).toEqual([]);
      expect(ghdl?.vectors).toBe(written.unit.vectors.count);
      expect(ghdl?.passed).toBe(true);

      const vectors = readVectors(join(written.dir, written.unit.names.vectors), design);
      expect(vectors.x).toHaveLength(written.unit.vectors.count);
      for (const [model, outputs] of [
        ["C", runCModel(written.dir, design, vectors.x)],
        ["NumPy", runNumpyModel(written.dir, design, vectors.x)],
      ] as const) {
        const y = firstDifference(outputs.y, vectors.y);
        expect(y, `${model} y differs at x=${vectors.x[y]}`).toBe(-1);
        if (vectors.dy) {
          const dy = firstDifference(outputs.dy!, vectors.dy);
          expect(dy, `${model} dy differs at x=${vectors.x[dy]}`).toBe(-1);
        }
      }
      expect(readFileSync(join(written.dir, `${design.module}.f`), "utf8")).toBe(`${design.module}.vhd\n`);
    });
  },
);

/** The JUnit schema (test/fixtures/junit.xsd) and a parser for the reports. */
function validateJunit(xml: string): XmlDocument {
  const schema = XmlDocument.fromString(
    readFileSync(new URL("../fixtures/junit.xsd", import.meta.url), "utf8"),
  );
  const validator = XsdValidator.fromDoc(schema);
  const doc = XmlDocument.fromString(xml);
  try {
    validator.validate(doc);
  } finally {
    validator.dispose();
    schema.dispose();
  }
  return doc;
}

describe("JUnit reports", () => {
  const spec: DesignSpecInput = {
    function: "tanh",
    in: "s3.6",
    out: "s1.8",
    maxError: "2^-6",
    method: "optimal",
  };

  it("sim --junit: a testcase per lint and simulator; a changed ROM word fails naming the first mismatching code", async () => {
    // For xc7, whose units spell the ROM as a case statement (one word per line) rather
    // than a word tree.
    const generation = generate({ ...spec, target: "xc7" });
    const { design } = generation;
    const written = await writeUnit(generation, { outDir: join(scratch, "junit", "unit"), hdl: "both" });
    const good = join(scratch, "junit", "good.xml");
    const pass = await runCli(["sim", written.dir, "--junit", good]);
    expect(pass.code).toBe(0);
    const passing = validateJunit(readFileSync(good, "utf8"));
    expect(passing.find("//testcase").map((node) => node.get("@name")?.content)).toEqual([
      "lint verilator",
      "lint iverilog",
      "lint ghdl",
      "iverilog",
      "verilator",
      "ghdl",
    ]);
    expect(passing.find("//failure")).toHaveLength(0);
    passing.dispose();

    // Break segment 1's intercept in the Verilog: flip its second-highest bit.
    const path = join(written.dir, `${design.module}.v`);
    const verilog = readFileSync(path, "utf8");
    const rom = /(y_intercept = )(\d+)'(s?)h([0-9a-f]+);/g;
    const matches = [...verilog.matchAll(rom)];
    const word = matches[1]!;
    const bits = Number(word[2]);
    const flipped = (parseInt(word[4]!, 16) ^ (1 << (bits - 2))) >>> 0;
    writeFileSync(
      path,
      verilog.replace(
        word[0],
        `${word[1]}${bits}'${word[3]}h${flipped.toString(16).padStart(word[4]!.length, "0")};`,
      ),
    );
    // The first code the broken ROM changes, from the golden model with the same word changed.
    const y = design.y;
    const asStored = y.interceptFormat.signed ? Number(BigInt.asIntN(bits, BigInt(flipped))) : flipped;
    const broken = { ...y, intercepts: y.intercepts.map((c, s) => (s === 1 ? asStored : c)) };
    const vectors = readVectors(join(written.dir, written.unit.names.vectors), design);
    const first = vectors.x.findIndex((x) => evaluateChannel(broken, x) !== evaluateChannel(y, x));
    expect(first).toBeGreaterThanOrEqual(0);
    const code = vectors.x[first]!;
    const hex = (value: number, w: number): string =>
      BigInt.asUintN(w, BigInt(value))
        .toString(16)
        .padStart(Math.ceil(w / 4), "0");

    const bad = join(scratch, "junit", "bad.xml");
    const fail = await runCli(["sim", written.dir, "--simulator", "iverilog", "--no-lint", "--junit", bad]);
    expect(fail.code).toBe(1);
    const failing = validateJunit(readFileSync(bad, "utf8"));
    const failures = failing.find("//testcase[failure]");
    expect(failures.map((node) => node.get("@name")?.content)).toEqual(["iverilog"]);
    const message = failing.get("//failure/@message")!.content;
    const w = width(design.input);
    const yw = width(y.output);
    expect(message).toContain(
      `first at input code x=0x${hex(code, w)}: expected 0x${hex(evaluateChannel(y, code), yw)}, got 0x${hex(evaluateChannel(broken, code), yw)}`,
    );
    expect(failing.get("/testsuites/@failures")?.content).toBe("1");
    failing.dispose();

    // The same report from the library.
    const verification = await verifyUnit(written.dir, "iverilog", { lint: false });
    expect(verificationJunit(verification)).toContain(`x=0x${hex(code, w)}`);
  });

  it("sweep --junit: a testcase per point, infeasible points skipped", async () => {
    const report = join(scratch, "sweep.xml");
    const run = await runCli([
      "sweep",
      "--function",
      "sigmoid,tanh",
      "--in",
      "s3.5",
      "--out",
      "s1.7",
      "--max-error",
      "2^-5,2^-20",
      "--method",
      "optimal",
      "--verify",
      "--simulator",
      "ghdl",
      "--hdl",
      "vhdl",
      "--jobs",
      "1",
      "--out-dir",
      join(scratch, "sweep"),
      "--junit",
      report,
    ]);
    expect(run.code).toBe(0);
    const doc = validateJunit(readFileSync(report, "utf8"));
    expect(doc.find("//testcase")).toHaveLength(4);
    expect(doc.find("//testcase[skipped]")).toHaveLength(2);
    expect(doc.find("//failure")).toHaveLength(0);
    doc.dispose();
  });
});
