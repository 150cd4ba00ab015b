import fc from "fast-check";
import { main } from "../../gen/cli.js";

/**
 * What the fuzz tests (test/fuzz/) draw: spec objects (random, and valid ones with one field
 * mutated) and command lines (a working gen command with flags dropped or changed, and
 * junk added). Values mix the plausible (so that many reach the generator) with the
 * hostile (wrong types, empty strings, huge numbers, path tricks).
 */
export const FUNCTIONS = [
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
  method: fc.constantFrom("auto", "optimal", "lsq-greedy", "uniform", "grid", "best", 3),
  target: fc.constantFrom("ice40", "ice40-hx", "xc7", "generic", "ecp5", ""),
  foldStyle: fc.constantFrom("twos", "ones", "sign-magnitude", 1),
  dropInputBits: fc.constantFrom(...INTEGERS),
  dropOutputBits: fc.constantFrom(...INTEGERS),
  indexBits: fc.constantFrom(...INTEGERS),
  localOffset: fc.constantFrom(true, false, "yes"),
  shareSlopes: fc.constantFrom(true, false, "no"),
  slopeDigits: fc.constantFrom(...INTEGERS),
  symmetry: fc.constantFrom("auto", "off", "ramp", "on"),
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
export const specArbitrary = fc
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
export const mutatedArbitrary = fc
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
export const MESSAGE = /^(--[a-z-]+|option|[^:\n]+\.(json|yaml): [A-Za-z-]+|command line): .+/;

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
  "--target",
  "--fold-style",
  "--drop-input-bits",
  "--drop-output-bits",
  "--index-bits",
  "--local-offset",
  "--share-slopes",
  "--slope-digits",
  "--verify=yes",
  "--exact-zero",
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
  "auto",
  "optimal",
  "uniform",
  "grid",
  "ice40",
  "xc7",
  "ones",
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
export const argvArbitrary = fc
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

/** Runs the CLI in-process with its output silenced: the exit code and the error lines. */
export async function runQuietly(args: readonly string[]): Promise<{ code: number; stderr: string[] }> {
  const stderr: string[] = [];
  const log = console.log;
  const error = console.error;
  console.log = () => undefined;
  console.error = (line: string) => stderr.push(String(line));
  try {
    return { code: await main(args), stderr };
  } finally {
    console.log = log;
    console.error = error;
  }
}
