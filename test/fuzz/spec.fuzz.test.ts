import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { main } from "../../gen/cli.js";
import { maxCode, minCode, toReal, ulp } from "../../gen/fixed/format.js";
import { generate } from "../../gen/generate.js";
import { evaluate } from "../../gen/model/golden.js";
import { UserError } from "../../gen/spec/errors.js";

/**
 * Fuzzing the front door. Thousands of random and mutated specs (library) and argument
 * lists (CLI): each either yields a design whose golden model meets its bound on every
 * code, or stops with a UserError / exit code 2 and one line naming a field and showing
 * its value. Never a stack trace, never files after an error. Failures print their seed;
 * keep them in REGRESSIONS below.
 */
const dir = mkdtempSync(join(tmpdir(), "pwlgen-fuzz-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const FUNCTIONS = [
  "sigmoid",
  "tanh",
  "gelu",
  "silu",
  "softsign",
  "dsigmoid",
  "exp",
  "elu",
  "sigmod",
  "",
  "TANH",
];
const FORMATS = [
  "s4.6",
  "u1.7",
  "s2.6",
  "s3.5",
  "u4.4",
  "s1.7",
  "u0.8",
  "s0.8",
  "s-1.9",
  "s4.30",
  "s1.0",
  "q4.6",
  "s4",
  "s4.6.1",
  "u1.-3",
  " s4.6 ",
  "s25.0",
];
const BOUNDS = [
  "2^-6",
  "2^-4",
  "0.01",
  "1e-2",
  "1ulp",
  "0.5ulp",
  "0.4ulp",
  "3 ulps",
  "2^x",
  "-1",
  "0",
  "1e400",
  "nan",
  "",
  0.05,
  -0.5,
  0,
];
const INTEGERS = [0, 1, 2, 4, 7, -1, 1.5, "3", "three", "", true, [2], 1e9, "0x10"];
const STRINGS = [
  "",
  "x",
  "../../etc/passwd",
  "module",
  "wire",
  "pwl_ok",
  "9lives",
  "a-b",
  "pwl unit",
  "a".repeat(200),
];

const field = {
  function: fc.constantFrom(...FUNCTIONS),
  in: fc.constantFrom(...FORMATS),
  out: fc.constantFrom(...FORMATS),
  maxError: fc.constantFrom(...BOUNDS),
  segments: fc.constantFrom(...INTEGERS),
  pipeline: fc.constantFrom(...INTEGERS),
  method: fc.constantFrom("optimal", "lsq-greedy", "uniform", "best", 3),
  symmetry: fc.constantFrom("auto", "off", "on"),
  exactZero: fc.constantFrom(true, false, "yes", 1),
  rounding: fc.constantFrom("half-up", "half-even", "truncate", "nearest"),
  overflow: fc.constantFrom("saturate", "wrap", "clip"),
  module: fc.constantFrom(...STRINGS),
  derivative: fc.constantFrom("none", "slope", "pwl", "both"),
  dout: fc.constantFrom(...FORMATS),
  alpha: fc.constantFrom(0.5, "2", "x", -1),
  beta: fc.constantFrom(1.702, "1", "beta"),
  expr: fc.constantFrom("x*sigmoid(x)", "x^2", "log(x)", "1/x", "x+", "y", "foo(x)", "a=1"),
  slopeFormat: fc.constantFrom(...FORMATS),
  exhaustiveLimit: fc.constantFrom(...INTEGERS),
  bogus: fc.constantFrom(1, "x"),
};

/** Mostly plausible values (so that many specs reach the generator), sometimes anything. */
const plausible = {
  function: fc.constantFrom("sigmoid", "tanh", "softsign", "dsigmoid", "silu"),
  in: fc.constantFrom("s3.5", "s4.6", "u3.5", "s2.6"),
  out: fc.constantFrom("s2.8", "s2.6", "u1.8", "s3.7"),
  maxError: fc.constantFrom("2^-5", "2^-6", "2ulp", "0.02", "1ulp"),
};
const specArbitrary = fc
  .record({
    core: fc.record({
      function: fc.oneof(
        { arbitrary: plausible.function, weight: 4 },
        { arbitrary: field.function, weight: 1 },
      ),
      in: fc.oneof({ arbitrary: plausible.in, weight: 4 }, { arbitrary: field.in, weight: 1 }),
      out: fc.oneof({ arbitrary: plausible.out, weight: 4 }, { arbitrary: field.out, weight: 1 }),
      maxError: fc.oneof(
        { arbitrary: plausible.maxError, weight: 4 },
        { arbitrary: field.maxError, weight: 1 },
      ),
    }),
    extra: fc.record(field, { requiredKeys: [] }),
    keep: fc.integer({ min: 0, max: 3 }),
  })
  .map(({ core, extra, keep }) => {
    // Start from the core fields and add up to `keep` of the random others.
    const out: Record<string, unknown> = { ...core };
    for (const [key, value] of Object.entries(extra).slice(0, keep))
      if (value !== undefined) out[key] = value;
    return out;
  });

/** A valid small spec, then one field replaced by a random value of any kind (mutation). */
const mutatedArbitrary = fc
  .record({
    base: fc.record({
      function: fc.constantFrom("sigmoid", "tanh", "softsign"),
      in: fc.constantFrom("s3.5", "s4.6", "u3.5"),
      out: fc.constantFrom("s2.8", "s2.6"),
      maxError: fc.constantFrom("2^-5", "2^-6", "2ulp"),
      pipeline: fc.integer({ min: 0, max: 4 }),
    }),
    key: fc.constantFrom(...Object.keys(field)),
    value: fc.oneof(fc.string({ maxLength: 12 }), fc.integer(), fc.double(), fc.boolean(), fc.constant(null)),
    mutate: fc.boolean(),
  })
  .map(
    ({ base, key, value, mutate }) => (mutate ? { ...base, [key]: value } : base) as Record<string, unknown>,
  );

/** The message shape: "<label>: <value> <reason>", with a label that names a field. */
const MESSAGE = /^(--[a-z-]+|option|[^:\n]+\.(json|yaml): [A-Za-z-]+|command line): .+/;

function checkDesign(spec: Record<string, unknown>): "design" | "refused" {
  let generation;
  try {
    generation = generate(spec as Parameters<typeof generate>[0]);
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    expect(error.message).toMatch(MESSAGE);
    expect(error.message).not.toContain("\n");
    return "refused";
  }
  const { design } = generation;
  const f = generation.function.f;
  const step = ulp(design.y.output);
  for (let x = minCode(design.input); x <= maxCode(design.input); x++) {
    expect(Math.abs(evaluate(design, x) * step - f(toReal(x, design.input)))).toBeLessThanOrEqual(
      design.y.bound,
    );
  }
  return "design";
}

describe("fuzzing the spec parser and generator", () => {
  it("random specs: a design within its bound on every code, or a one-line UserError", () => {
    const seen = { design: 0, refused: 0 };
    fc.assert(
      fc.property(specArbitrary, (spec) => {
        seen[checkDesign(spec)]++;
      }),
      { numRuns: 2000, seed: 20261130 },
    );
    console.log(`fuzz specs: 2000 cases tried, ${seen.design} designs, ${seen.refused} refused, failures: 0`);
    expect(seen.design).toBeGreaterThan(300);
  });

  it("mutated valid specs", () => {
    const seen = { design: 0, refused: 0 };
    fc.assert(
      fc.property(mutatedArbitrary, (spec) => {
        seen[checkDesign(spec)]++;
      }),
      { numRuns: 1500, seed: 7 },
    );
    console.log(
      `fuzz mutated specs: 1500 cases tried, ${seen.design} designs, ${seen.refused} refused, failures: 0`,
    );
    expect(seen.design).toBeGreaterThan(500);
  });
});

/** Argument lists: flags from the real CLI with random values, plus junk tokens. */
const FLAGS = [
  "--function",
  "--in",
  "--out",
  "--max-error",
  "--segments",
  "--pipeline",
  "--method",
  "--symmetry",
  "--module",
  "--rounding",
  "--derivative",
  "--dout",
  "--expr",
  "--spec",
  "--bogus",
  "-x",
  "--",
];
const VALUES = [
  ...FUNCTIONS,
  ...FORMATS.map(String),
  ...BOUNDS.map(String),
  ...INTEGERS.map(String),
  ...STRINGS,
  "optimal",
  "uniform",
  "slope",
  "none",
];
/** A working command with some of its flags dropped or changed, and junk added. */
const BASE_ARGS = [
  ["--function", "sigmoid"],
  ["--in", "s3.5"],
  ["--out", "u1.8"],
  ["--max-error", "2^-5"],
];
const argvArbitrary = fc
  .record({
    drop: fc.array(
      fc.integer({ min: 0, max: 5 }).map((n) => n === 0),
      { minLength: 4, maxLength: 4 },
    ),
    replace: fc.array(
      fc.oneof(
        { arbitrary: fc.constant(null), weight: 5 },
        { arbitrary: fc.constantFrom(...VALUES), weight: 1 },
      ),
      { minLength: 4, maxLength: 4 },
    ),
    junk: fc.array(
      fc.oneof(
        fc.tuple(fc.constantFrom(...FLAGS), fc.constantFrom(...VALUES)).map(([flag, value]) => [flag, value]),
        fc.constantFrom(...VALUES).map((value) => [value]),
      ),
      { maxLength: 2 },
    ),
  })
  .map(({ drop, replace, junk }) => [
    ...BASE_ARGS.flatMap(([flag, value], i) => (drop[i] && i > 0 ? [] : [[flag!, replace[i] ?? value!]])),
    ...junk,
  ]);

describe("fuzzing the command line", () => {
  it("random argument lists: exit 0 with a unit, or exit 2 with one error line and no files", async () => {
    let count = 0;
    const codes = { 0: 0, 2: 0 };
    await fc.assert(
      fc.asyncProperty(argvArbitrary, async (groups) => {
        const out = join(dir, `cli-${count++}`);
        const args = ["gen", ...groups.flat(), "--out-dir", out];
        const stderr: string[] = [];
        const log = console.log;
        const error = console.error;
        console.log = () => undefined;
        console.error = (line: string) => stderr.push(String(line));
        let code: number;
        try {
          code = await main(args);
        } finally {
          console.log = log;
          console.error = error;
        }
        expect([0, 2], `${args.join(" ")}\n${stderr.join("\n")}`).toContain(code);
        codes[code as 0 | 2]++;
        if (code === 2) {
          expect(stderr).toHaveLength(1);
          expect(stderr[0]).toMatch(/^pwlgen: error: /);
          expect(stderr[0]).not.toMatch(/\n| {4}at /);
          expect(
            readdirSync(dir).filter(
              (name) => name.startsWith(`cli-${count - 1}`) || name.includes(`cli-${count - 1}.`),
            ),
          ).toEqual([]);
        } else {
          expect(readdirSync(out)).toContain("manifest.json");
          rmSync(out, { recursive: true, force: true });
        }
      }),
      { numRuns: 1000, seed: 42 },
    );
    console.log(`fuzz command lines: 1000 cases tried, ${codes[0]} units, ${codes[2]} refused, failures: 0`);
    expect(codes[0]).toBeGreaterThan(100);
  });
});
