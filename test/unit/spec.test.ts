import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, it, expect } from "vitest";
import { UserError, showValue } from "../../gen/spec/errors.js";
import { type OptionSources, parseOptions, readSpecFile } from "../../gen/spec/load.js";
import { specHash } from "../../gen/spec/normalize.js";
import { sweepPoints } from "../../gen/sweep/points.js";
import { sweepSchema } from "../../gen/sweep/schema.js";
import { type DesignSpec, defaultModuleName, designSchema } from "../../gen/spec/schema.js";
import { MAX_MODULE_NAME_LENGTH } from "../../gen/spec/identifiers.js";
import { FUNCTION_NAMES } from "../../gen/functions/registry.js";
import { parseFormat } from "../../gen/fixed/format.js";

const NO_BOUND = { function: "sigmoid", in: "s4.12", out: "u1.15" };
const BASE = { ...NO_BOUND, maxError: "2^-10" };

/** Every given key counts as a command-line flag. */
const fromCli = (values: Record<string, unknown>): OptionSources => ({
  fromCli: new Set(Object.keys(values)),
});

/** Runs parseOptions and returns the UserError it throws (failing the test if it does not). */
function userError(values: Record<string, unknown>, sources: OptionSources = fromCli(values)): UserError {
  try {
    parseOptions(designSchema, values, sources);
  } catch (error) {
    expect(error).toBeInstanceOf(UserError);
    return error as UserError;
  }
  throw new Error(`expected ${JSON.stringify(values)} to be rejected`);
}

const spec = (values: Record<string, unknown>): DesignSpec =>
  parseOptions(designSchema, values, { fromCli: new Set() });

describe("parseOptions: a good spec", () => {
  it("parses formats and the bound and fills in the defaults", () => {
    const parsed = spec(BASE);
    expect(parsed.function).toBe("sigmoid");
    expect(parsed.in).toEqual({ signed: true, intBits: 4, fracBits: 12 });
    expect(parsed.out).toEqual({ signed: false, intBits: 1, fracBits: 15 });
    expect(parsed.maxError).toEqual({ kind: "absolute", value: 2 ** -10 });
    expect(parsed.segments).toBeUndefined();
    expect(parsed.rounding).toBe("half-up");
    expect(parsed.overflow).toBe("saturate");
    expect(parsed.pipeline).toBe(0);
    expect(parsed.exhaustiveLimit).toBe(20);
    expect(parsed.randomVectors).toBe(100000);
    expect(parsed.seed).toBe(1);
  });

  it("accepts the CLI's strings for integers (--pipeline 2)", () => {
    expect(spec({ ...BASE, pipeline: "2" }).pipeline).toBe(2);
  });

  it("accepts a segment budget instead of a bound", () => {
    const parsed = spec({ ...NO_BOUND, segments: 8 });
    expect(parsed.segments).toBe(8);
    expect(parsed.maxError).toBeUndefined();
  });
});

describe("parseOptions: a bad command-line value names the flag and shows the value", () => {
  const cases: [string, Record<string, unknown>, string, string][] = [
    ["unknown function", { ...BASE, function: "sigmoidd" }, "--function", '"sigmoidd"'],
    ["malformed input format", { ...BASE, in: "q4.12" }, "--in", '"q4.12"'],
    ["input wider than 24 bits", { ...BASE, in: "s4.30" }, "--in", '"s4.30"'],
    ["1-bit signed output", { ...BASE, out: "s1.0" }, "--out", '"s1.0"'],
    ["malformed bound", { ...BASE, maxError: "2^x" }, "--max-error", '"2^x"'],
    ["pipeline above 4 (number)", { ...BASE, pipeline: 7 }, "--pipeline", "7"],
    ["pipeline above 4 (string)", { ...BASE, pipeline: "7" }, "--pipeline", '"7"'],
    ["pipeline not a number", { ...BASE, pipeline: "abc" }, "--pipeline", '"abc"'],
    ["module starting with a digit", { ...BASE, module: "9abc" }, "--module", '"9abc"'],
    ["module with a dash", { ...BASE, module: "a-b" }, "--module", '"a-b"'],
    ["module named after the keyword module", { ...BASE, module: "module" }, "--module", '"module"'],
    ["module named after the keyword wire", { ...BASE, module: "wire" }, "--module", '"wire"'],
  ];

  it.each(cases)("%s", (_what, values, flag, shown) => {
    const error = userError(values);
    expect(error.exitCode).toBe(2);
    expect(error.message.startsWith(`${flag}: `)).toBe(true);
    expect(error.message).toContain(shown);
  });

  it("says why: the width limit, the 1-bit signed format, the range and the keyword", () => {
    expect(userError({ ...BASE, in: "s4.30" }).message).toMatch(/34 bits.*24/);
    expect(userError({ ...BASE, out: "s1.0" }).message).toMatch(/1-bit signed/);
    expect(userError({ ...BASE, pipeline: 7 }).message).toMatch(/at most 4/);
    expect(userError({ ...BASE, module: "wire" }).message).toMatch(/keyword/);
    expect(userError({ ...BASE, function: "sigmoidd" }).message).toMatch(/sigmoid.*tanh/);
  });

  it(`refuses a module name over ${MAX_MODULE_NAME_LENGTH} characters, naming the limit`, () => {
    const name = (length: number): string => `m${"a".repeat(length - 1)}`;
    expect(spec({ ...BASE, module: name(MAX_MODULE_NAME_LENGTH) }).module).toHaveLength(124);
    expect(userError({ ...BASE, module: name(MAX_MODULE_NAME_LENGTH + 1) }).message).toBe(
      `--module: ${showValue(name(125))} is longer than the 124 characters a module name may have ` +
        "(its testbench <module>_tb must stay within the 127 characters Verilator keeps unhashed)",
    );
  });

  it("no default module name can be longer than the limit", () => {
    // The longest spellings: every function, formats with two-digit negative integer bits
    // and two-digit fraction bits, the longest derivative suffix.
    const longestFunction = [...FUNCTION_NAMES, "expr"].reduce((a, b) => (b.length > a.length ? b : a));
    const longest = defaultModuleName({
      function: longestFunction as DesignSpec["function"],
      in: parseFormat("s-40.64")!,
      out: parseFormat("s-32.64")!,
      derivative: "slope",
    });
    expect(longest).toBe(`pwl_${longestFunction}_sm40_64_sm32_64_dslope`);
    expect(longest.length).toBeLessThanOrEqual(MAX_MODULE_NAME_LENGTH);
    // Formats cannot be spelled longer: fields beyond 64 bits are refused.
    expect(parseFormat("s-65.89")).toBeUndefined();
    expect(parseFormat("s-100.124")).toBeUndefined();
  });

  it("an unknown key is named", () => {
    const error = userError({ ...BASE, foo: 1 });
    expect(error.message).toContain("foo");
    expect(error.message).toMatch(/not a known field/);
  });

  it("both --max-error and --segments is an error naming both", () => {
    const error = userError({ ...BASE, segments: 8 });
    expect(error.message).toContain("--segments");
    expect(error.message).toContain("--max-error");
  });

  it("neither --max-error nor --segments is an error naming --max-error", () => {
    const error = userError(NO_BOUND);
    expect(error.message.startsWith("--max-error: ")).toBe(true);
    expect(error.message).toContain("--segments");
  });
});

describe("parseOptions: integer fields take integers only", () => {
  // An empty `--pipeline ""`, a YAML `pipeline: true` or `pipeline: [2]` is a mistake, not a
  // request for 0, 1 or 2 stages.
  it.each<[string, unknown]>([
    ["pipeline", ""],
    ["pipeline", true],
    ["pipeline", [2]],
    ["pipeline", 1.5],
    ["pipeline", -1],
    ["seed", ""],
  ])("rejects %s = %j", (key, value) => {
    const error = userError({ ...BASE, [key]: value });
    expect(error.field).toBe(`--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`);
  });
});

describe("parseOptions: values from a spec file are labelled by field and file", () => {
  const fromFile: OptionSources = { specFile: "spec.yaml", fromCli: new Set() };

  it('labels a bad bound "spec.yaml: maxError"', () => {
    const error = userError({ ...BASE, maxError: "2^x" }, fromFile);
    expect(error.message.startsWith("spec.yaml: maxError: ")).toBe(true);
    expect(error.message).toContain('"2^x"');
  });

  it('labels a bad function "spec.yaml: function"', () => {
    const error = userError({ ...BASE, function: "sigmoidd" }, fromFile);
    expect(error.message.startsWith("spec.yaml: function: ")).toBe(true);
  });

  it("labels a flag as a flag even when a spec file is given", () => {
    const error = userError(
      { ...BASE, pipeline: 9 },
      { specFile: "spec.yaml", fromCli: new Set(["pipeline"]) },
    );
    expect(error.message.startsWith("--pipeline: ")).toBe(true);
  });

  it("names an unknown field of the file", () => {
    const error = userError({ ...BASE, foo: 1 }, fromFile);
    expect(error.message).toBe('spec.yaml: "foo" is not a known field');
  });
});

describe("specHash", () => {
  const reference = specHash(spec(BASE));

  it("is 64 hex digits", () => {
    expect(reference).toMatch(/^[0-9a-f]{64}$/);
  });

  it("does not depend on key order", () => {
    const reordered = { maxError: "2^-10", out: "u1.15", in: "s4.12", function: "sigmoid" };
    expect(Object.keys(reordered)).not.toEqual(Object.keys(BASE));
    expect(specHash(spec(reordered))).toBe(reference);
  });

  it("does not change when the defaults are spelled out", () => {
    const spelled = {
      ...BASE,
      rounding: "half-up",
      overflow: "saturate",
      pipeline: 0,
      exhaustiveLimit: 20,
      randomVectors: 100000,
      seed: 1,
      module: "pwl_sigmoid_s4_12_u1_15",
    };
    expect(specHash(spec(spelled))).toBe(reference);
  });

  it.each([0.0009765625, "0.0009765625", "2**-10", "32ulp", "32 ulps"])(
    "does not change when the bound 2^-10 is written %j (32 ulp of u1.15 = 32 * 2^-15)",
    (maxError) => {
      expect(specHash(spec({ ...BASE, maxError }))).toBe(reference);
    },
  );

  it.each<[string, Record<string, unknown>]>([
    ["the bound", { maxError: "2^-9" }],
    ["the bound in ulps", { maxError: "31ulp" }],
    ["the input format", { in: "s3.12" }],
    ["the output format", { out: "u1.14" }],
    ["the function", { function: "tanh", out: "s1.15" }],
    ["the pipeline", { pipeline: 1 }],
    ["the rounding", { rounding: "half-even" }],
    ["the module name", { module: "my_sigmoid" }],
  ])("changes when %s differs", (_what, change) => {
    expect(specHash(spec({ ...BASE, ...change }))).not.toBe(reference);
  });

  it("a classic method's target enters only through its RTL form (fold arithmetic and word trees)", () => {
    const uniform = (target: string): string => specHash(spec({ ...BASE, method: "uniform", target }));
    expect(uniform("ice40-hx")).toBe(uniform("ice40"));
    expect(uniform("generic")).toBe(uniform("xc7"));
    expect(uniform("xc7")).not.toBe(uniform("ice40"));
    // generic: the fold form of xc7, the word trees of ice40 (which only tree methods write).
    const greedy = (target: string): string => specHash(spec({ ...BASE, method: "lsq-greedy", target }));
    expect(greedy("generic")).not.toBe(greedy("xc7"));
    expect(greedy("generic")).not.toBe(greedy("ice40"));
    const auto = (target: string): string => specHash(spec({ ...BASE, target }));
    expect(auto("ice40-hx")).not.toBe(auto("ice40"));
  });

  it("a segment budget hashes differently from a bound", () => {
    const eight = specHash(spec({ ...NO_BOUND, segments: 8 }));
    expect(eight).not.toBe(reference);
    expect(specHash(spec({ ...NO_BOUND, segments: 9 }))).not.toBe(eight);
  });
});

describe("readSpecFile", () => {
  const dir = mkdtempSync(join(tmpdir(), "pwlgen-spec-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const write = (name: string, text: string): string => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };

  it("reads JSON and turns kebab-case keys into camelCase", () => {
    const path = write(
      "unit.json",
      JSON.stringify({
        function: "sigmoid",
        in: "s4.12",
        out: "u1.15",
        "max-error": "2^-10",
        "exhaustive-limit": 12,
      }),
    );
    expect(readSpecFile(path).values).toEqual({
      function: "sigmoid",
      in: "s4.12",
      out: "u1.15",
      maxError: "2^-10",
      exhaustiveLimit: 12,
    });
    expect(readSpecFile(path).keys.get("maxError")).toBe("max-error");
  });

  it("reads YAML and turns kebab-case keys into camelCase", () => {
    const path = write(
      "unit.yaml",
      [
        "function: tanh",
        "in: s3.13",
        "out: s1.15",
        "max-error: 2^-10",
        "random-vectors: 500",
        "pipeline: 2",
        "",
      ].join("\n"),
    );
    expect(readSpecFile(path).values).toEqual({
      function: "tanh",
      in: "s3.13",
      out: "s1.15",
      maxError: "2^-10",
      randomVectors: 500,
      pipeline: 2,
    });
  });

  it("keeps camelCase keys as they are", () => {
    const path = write("camel.yaml", "maxError: 0.001\nslopeFormat: s2.14\n");
    expect(readSpecFile(path).values).toEqual({ maxError: 0.001, slopeFormat: "s2.14" });
  });

  it("a YAML file and the equivalent values give the same spec hash", () => {
    const path = write("same.yaml", "out: u1.15\nmax-error: 32ulp\nfunction: sigmoid\nin: s4.12\n");
    expect(specHash(spec(readSpecFile(path).values))).toBe(specHash(spec(BASE)));
  });

  it("a missing file is a UserError naming --spec and the path", () => {
    const path = join(dir, "missing.yaml");
    expect(() => readSpecFile(path)).toThrow(UserError);
    expect(() => readSpecFile(path)).toThrow(/^--spec: /);
    expect(() => readSpecFile(path)).toThrow(path);
  });

  it("invalid JSON is a UserError naming --spec", () => {
    const path = write("broken.json", '{"function": "sigmoid",');
    expect(() => readSpecFile(path)).toThrow(UserError);
    expect(() => readSpecFile(path)).toThrow(/^--spec: .*JSON/);
  });

  it("invalid YAML is a UserError naming --spec", () => {
    const path = write("broken.yaml", "function: [sigmoid\n");
    expect(() => readSpecFile(path)).toThrow(UserError);
    expect(() => readSpecFile(path)).toThrow(/^--spec: /);
  });

  it("a file that is not an object of fields (a list) is a UserError naming --spec", () => {
    const path = write("list.yaml", "- sigmoid\n- tanh\n");
    expect(() => readSpecFile(path)).toThrow(UserError);
    expect(() => readSpecFile(path)).toThrow(/^--spec: /);
  });
});

describe("sweep points per target", () => {
  const points = (target: string) =>
    sweepPoints(
      sweepSchema.parse({
        function: "sigmoid",
        in: "s4.8",
        out: "u1.10",
        maxError: "2^-6",
        method: "auto,optimal,uniform",
        target,
      }),
    ).points;

  it("auto and optimal: one point per target; the others one per RTL form, named by target only then", () => {
    const all = points("ice40,ice40-hx,xc7,generic");
    expect(all.map((p) => p.key.split("_")[4])).toEqual([
      "auto-ice40",
      "auto-ice40-hx",
      "auto-xc7",
      "auto-generic",
      "optimal-ice40",
      "optimal-ice40-hx",
      "optimal-xc7",
      "optimal-generic",
      "uniform-ice40",
      "uniform-xc7",
    ]);
    expect(all.filter((p) => p.spec.method === "uniform").map((p) => p.target)).toEqual(["ice40", "xc7"]);
    // lsq-greedy's units are trees: generic writes them as word trees, xc7 does not.
    const greedy = sweepPoints(
      sweepSchema.parse({
        function: "sigmoid",
        in: "s4.8",
        out: "u1.10",
        maxError: "2^-6",
        method: "lsq-greedy",
        target: "ice40,ice40-hx,xc7,generic",
      }),
    ).points;
    expect(greedy.map((p) => p.target)).toEqual(["ice40", "xc7", "generic"]);
    // One fold form among the targets: uniform is one point, its row names no target.
    const ice = points("ice40,ice40-hx").filter((p) => p.spec.method === "uniform");
    expect(ice.map((p) => [p.key.split("_")[4], p.target, p.spec.target])).toEqual([
      ["uniform", null, "ice40"],
    ]);
  });
});
