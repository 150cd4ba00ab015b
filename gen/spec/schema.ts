import { z } from "zod";
import {
  type FixFormat,
  OVERFLOW_MODES,
  ROUNDING_MODES,
  formatName,
  parseFormat,
  width,
} from "../fixed/format.js";
import { MAX_EXPRESSION_LENGTH } from "../functions/expression.js";
import { FUNCTION_NAMES, findFunction } from "../functions/registry.js";
import { MAX_SLOPE_DIGITS } from "../segment/digits.js";
import { FOLD_STYLES } from "../segment/fold.js";
import { METHOD_NAMES } from "../segment/problem.js";
import { DEFAULT_TARGET, TARGET_NAMES } from "../synth/targets.js";
import { type BoundSpec, parseBound } from "./bound.js";
import { MAX_MODULE_NAME_LENGTH, moduleNameProblem } from "./identifiers.js";

/**
 * The one description of a design's options. It validates spec files and the command
 * line, supplies the types (z.infer), and its .describe() texts are the CLI's --help.
 */

export const MAX_INPUT_BITS = 24;
export const MAX_OUTPUT_BITS = 32;
export const MAX_PIPELINE = 4;

const formatField = (what: string, maxBits: number) =>
  z.string().transform((text, ctx): FixFormat => {
    const format = parseFormat(text);
    if (!format) {
      // Spelled like a format but no usable width: say so rather than "not a format".
      const fields = /^\s*[su](-?\d+)\.(\d+)\s*$/.exec(text);
      const bits = fields ? Number(fields[1]) + Number(fields[2]) : undefined;
      ctx.addIssue({
        code: "custom",
        message:
          bits === undefined
            ? `is not a fixed-point format; write s<int>.<frac> or u<int>.<frac>, e.g. s4.12 or u1.15`
            : bits < 1
              ? `is ${bits} bits wide; a format needs at least 1 bit`
              : `is ${bits} bits wide; ${what} formats hold at most ${maxBits} bits`,
      });
      return z.NEVER;
    }
    if (width(format) > maxBits) {
      ctx.addIssue({
        code: "custom",
        message: `is ${width(format)} bits wide; ${what} formats hold at most ${maxBits} bits`,
      });
      return z.NEVER;
    }
    if (format.signed && width(format) < 2) {
      ctx.addIssue({
        code: "custom",
        message: "is a 1-bit signed format; signed formats need at least 2 bits",
      });
      return z.NEVER;
    }
    return format;
  });

/** An integer written as a number or as decimal digits; "", true or [2] are not integers. */
const integer = (min: number, max: number) =>
  z.union([z.number(), z.string()]).transform((value, ctx): number => {
    const n = typeof value === "number" ? value : /^\s*[+-]?\d+\s*$/.test(value) ? Number(value) : NaN;
    if (!Number.isSafeInteger(n)) ctx.addIssue({ code: "custom", message: "must be an integer" });
    else if (n < min) ctx.addIssue({ code: "custom", message: `must be at least ${min}` });
    else if (n > max) ctx.addIssue({ code: "custom", message: `must be at most ${max}` });
    else return n;
    return z.NEVER;
  });

const realField = z.union([z.number(), z.string()]).transform((value, ctx): number => {
  const n = typeof value === "number" ? value : value.trim() === "" ? NaN : Number(value);
  if (!Number.isFinite(n)) {
    ctx.addIssue({ code: "custom", message: "must be a finite number" });
    return z.NEVER;
  }
  return n;
});

const boundField = z.union([z.number(), z.string()]).transform((value, ctx): BoundSpec => {
  const bound = parseBound(value);
  if (!bound) {
    ctx.addIssue({
      code: "custom",
      message:
        "is not an error bound; write a positive number (0.001), a power of two (2^-10) or output ulps (1ulp)",
    });
    return z.NEVER;
  }
  return bound;
});

/** Fields that define the generated hardware; they, and only they, feed the spec hash. */
export const designShape = {
  function: z
    .enum(FUNCTION_NAMES)
    .optional()
    .describe("activation function to approximate (pwlgen list shows them)"),
  expr: z
    .string()
    .min(1)
    .optional()
    .describe(
      `instead of --function: an expression in x, e.g. "x*sigmoid(1.702*x)" (at most ${MAX_EXPRESSION_LENGTH} characters)`,
    ),
  alpha: realField.optional().describe("elu's alpha (default 1)"),
  beta: realField.optional().describe("silu's beta: x * sigmoid(beta x) (default 1)"),
  in: formatField("input", MAX_INPUT_BITS).describe(
    "input format: s<int>.<frac> (signed, int bits include the sign) or u<int>.<frac>, e.g. s4.12",
  ),
  out: formatField("output", MAX_OUTPUT_BITS).describe("output format, e.g. u1.15 or s1.15"),
  maxError: boundField
    .optional()
    .describe("maximum absolute error on every input code: 0.001, 2^-10, or output ulps such as 1ulp"),
  segments: integer(1, 1 << 20)
    .optional()
    .describe("instead of --max-error: a segment budget; pwlgen finds the smallest bound it reaches"),
  method: z
    .enum(METHOD_NAMES)
    .default("auto")
    .describe(
      "auto (the cheapest unit for --target that meets the bound: searches the architectures below), optimal (provably fewest segments, a comparator tree), lsq-greedy (the paper's), uniform (2^k equal segments addressed by top bits), grid (segments on a grid of 2^k cells addressed by top bits)",
    ),
  target: z
    .enum(TARGET_NAMES)
    .default(DEFAULT_TARGET)
    .describe(
      "what --method auto minimises, the cost the report estimates, and how the RTL writes a fold's arithmetic (carry chains on iCE40, multiplexers on xc7 and generic) and a small comparator tree (a word tree, except on xc7): ice40 (UP5K, DSPs), ice40-hx (no DSPs), xc7, generic (4-LUT, no DSPs)",
    ),
  selectBy: z
    .enum(["estimate", "yosys"])
    .default("estimate")
    .describe(
      "how auto and optimal rank their finalists (the candidates built on every code, with the classic optimal and uniform designs): estimate (the cost model, instant) or yosys (synthesize each for --target with Yosys and keep the fewest LUTs, DSPs and block RAMs as measured: a few seconds per finalist)",
    ),
  foldStyle: z
    .enum(FOLD_STYLES)
    .optional()
    .describe(
      "for symmetric functions: twos (fold with |x| and unfold with -y: adders) or ones (x ^ sign and ~y: XORs); default: the method's choice (twos for lsq-greedy, uniform and grid; auto and optimal choose)",
    ),
  dropInputBits: integer(0, MAX_INPUT_BITS - 1)
    .optional()
    .describe(
      "low input bits the table ignores (codes differing only there get one output); default: the method's choice (0 but for auto and optimal)",
    ),
  dropOutputBits: integer(0, MAX_OUTPUT_BITS - 1)
    .optional()
    .describe(
      "low output bits that are always 0 (before unfolding); default: the method's choice (0 but for auto and optimal)",
    ),
  indexBits: integer(0, MAX_INPUT_BITS)
    .optional()
    .describe(
      "uniform and grid: the top bits that address the ROM (2^k entries); default: the fewest that meet the bound (auto: chosen by cost)",
    ),
  localOffset: z
    .boolean()
    .optional()
    .describe(
      "uniform only (a grid cell may hold part of a segment): multiply the slope by the offset within the cell, not by x (a narrower multiplier); default: off (auto chooses)",
    ),
  shareSlopes: z
    .boolean()
    .optional()
    .describe(
      "uniform only: runs of adjacent cells share one slope wherever one slope serves them all (each cell keeps an intercept of its own), so the slope ROM holds long runs that synthesis maps to less logic; the coefficients are then not least squares, and the bound still holds on every code; default: off (auto tries it on targets without DSPs, where it pays)",
    ),
  slopeDigits: integer(1, MAX_SLOPE_DIGITS)
    .optional()
    .describe(
      `multiplier-less slopes: each slope has at most D signed power-of-two digits (1 to ${MAX_SLOPE_DIGITS}), so slope * x is D shifted copies of x added (shift-add) instead of a multiplier (in y's table and a --derivative pwl dy's); the segmenter searches only such slopes, so the bound still holds on every code; default: a multiplier (auto also tries 1 to 3 digits on targets without DSPs)`,
    ),
  symmetry: z
    .enum(["auto", "off", "ramp"])
    .default("auto")
    .describe(
      "auto: segment odd, even and point-symmetric functions on one half and fold the input; for f(x) = f(-x) + x (gelu, silu, softplus: unfolding adds x) only --method auto folds, where it pays; ramp: fold those for every method too; off: never fold",
    ),
  exactZero: z
    .boolean()
    .default(false)
    .describe(
      "at x = 0 output f(0) rounded to the nearest code (tanh 0, sigmoid 0.5; f'(0) too for --derivative pwl): a folded unit is then exactly odd or point-symmetric; may cost a segment",
    ),
  derivative: z
    .enum(["none", "slope", "pwl"])
    .default("none")
    .describe(
      "also output dy: slope = the active segment's slope; pwl = a separate minimal PWL of f' (needs --dout)",
    ),
  dout: formatField("derivative", MAX_OUTPUT_BITS).optional().describe("format of dy, e.g. s1.15"),
  dmaxError: boundField
    .optional()
    .describe("bound for --derivative pwl (default: the --max-error value, in dy's units)"),
  rounding: z
    .enum(ROUNDING_MODES)
    .default("half-up")
    .describe("output rounding: half-up (add half, truncate), half-even, or truncate"),
  overflow: z
    .enum(OVERFLOW_MODES)
    .default("saturate")
    .describe("output overflow: saturate, or wrap (no clamp logic; every value is kept in range)"),
  slopeFormat: formatField("slope", 40)
    .optional()
    .describe(
      "fix the slope ROM's format (e.g. s2.14); default: the narrowest that keeps the minimum segment count",
    ),
  interceptFormat: formatField("intercept", 48)
    .optional()
    .describe("fix the intercept ROM's format; default: the narrowest that keeps the minimum segment count"),
  pipeline: integer(0, MAX_PIPELINE)
    .default(0)
    .describe(
      `pipeline stages (0 = combinational, up to ${MAX_PIPELINE}); adds clk, rst, in_valid, out_valid`,
    ),
  module: z
    .string()
    .superRefine((name, ctx) => {
      const problem = moduleNameProblem(name);
      if (problem) ctx.addIssue({ code: "custom", message: problem });
    })
    .optional()
    .describe(
      `module and file name, at most ${MAX_MODULE_NAME_LENGTH} characters (default pwl_<function>_<in>_<out>)`,
    ),
  exhaustiveLimit: integer(1, MAX_INPUT_BITS)
    .default(20)
    .describe("test every input code when the input is at most this many bits wide"),
  randomVectors: integer(1, 1 << 22)
    .default(100000)
    .describe("above the exhaustive limit: number of seeded random vectors besides the corner cases"),
  seed: integer(0, 2 ** 31 - 1)
    .default(1)
    .describe("seed for random test vectors"),
};

type CrossFields = {
  function?: string;
  expr?: string;
  alpha?: number;
  beta?: number;
  maxError?: unknown;
  segments?: unknown;
  derivative?: string;
  dout?: unknown;
  dmaxError?: unknown;
  method?: string;
  in?: FixFormat;
  out?: FixFormat;
  indexBits?: number;
  localOffset?: boolean;
  shareSlopes?: boolean;
  dropInputBits?: number;
  dropOutputBits?: number;
  selectBy?: string;
};

/** Rules that involve several fields; each names the field to blame. */
function checkCombinations(spec: CrossFields, ctx: z.RefinementCtx): void {
  const problem = (path: string, message: string): void => {
    ctx.addIssue({ code: "custom", path: [path], message });
  };
  const indexed = spec.method === "uniform" || spec.method === "grid" || spec.method === "auto";
  if (spec.indexBits !== undefined && !indexed) {
    problem("indexBits", `applies only to --method uniform, grid or auto, not ${spec.method}`);
  }
  if (spec.localOffset !== undefined && !indexed) {
    problem("localOffset", `applies only to --method uniform, grid or auto, not ${spec.method}`);
  }
  if (spec.localOffset === true && spec.method === "grid") {
    problem(
      "localOffset",
      "applies only to uniform segments: with offsets every cell is a segment of its own",
    );
  }
  if (spec.shareSlopes !== undefined && spec.method !== "uniform" && spec.method !== "auto") {
    problem("shareSlopes", `applies only to --method uniform or auto, not ${spec.method}`);
  }
  if (spec.selectBy === "yosys" && spec.method !== "auto" && spec.method !== "optimal") {
    problem(
      "selectBy",
      `applies only to --method auto or optimal, which choose among designs, not ${spec.method}`,
    );
  }
  if (spec.in && spec.dropInputBits !== undefined && spec.dropInputBits > width(spec.in) - 2) {
    problem("dropInputBits", `must leave the table at least 2 of the input's ${width(spec.in)} bits`);
  }
  if (spec.out && spec.dropOutputBits !== undefined && spec.dropOutputBits > width(spec.out) - 1) {
    problem("dropOutputBits", `must leave at least 1 of the output's ${width(spec.out)} bits`);
  }
  if (spec.in && spec.indexBits !== undefined && spec.indexBits > width(spec.in)) {
    problem("indexBits", `cannot address more cells than the ${width(spec.in)}-bit input has codes`);
  }
  if (spec.function === undefined && spec.expr === undefined) {
    problem("function", "is required: give --function (see pwlgen list) or --expr");
  } else if (spec.function !== undefined && spec.expr !== undefined) {
    problem("expr", "cannot be combined with --function; give one of them");
  }
  const takes = new Set(findFunction(spec.function ?? "")?.params.map((p) => p.name) ?? []);
  for (const name of ["alpha", "beta"] as const) {
    if (spec[name] !== undefined && !takes.has(name)) {
      problem(
        name,
        `does not apply to ${spec.function ?? "an expression"}${takes.size > 0 ? ` (it takes ${[...takes].join(", ")})` : ""}`,
      );
    }
  }
  if (spec.maxError === undefined && spec.segments === undefined) {
    problem(
      "maxError",
      "is required: give a maximum error (--max-error, maxError) or a segment budget (--segments, segments)",
    );
  } else if (spec.maxError !== undefined && spec.segments !== undefined) {
    problem("segments", "cannot be combined with a maximum error (--max-error, maxError): give one of them");
  }
  if (spec.derivative !== undefined && spec.derivative !== "none" && spec.dout === undefined) {
    problem("dout", `is required with --derivative ${spec.derivative}: the format of dy, e.g. s1.15`);
  }
  if (spec.dout !== undefined && (spec.derivative === undefined || spec.derivative === "none")) {
    problem("dout", "applies only with --derivative slope or pwl");
  }
  if (spec.dmaxError !== undefined && spec.derivative !== "pwl") {
    problem("dmaxError", "applies only to --derivative pwl");
  }
  if (spec.derivative === "pwl" && spec.dmaxError === undefined && spec.maxError === undefined) {
    problem("dmaxError", "is required with --derivative pwl and a segment budget");
  }
}

export const designSchema = z.object(designShape).strict().superRefine(checkCombinations);

export type DesignSpec = z.output<typeof designSchema>;
export type DesignSpecInput = z.input<typeof designSchema>;

export function defaultModuleName(spec: Pick<DesignSpec, "function" | "in" | "out" | "derivative">): string {
  const part = (format: FixFormat): string => formatName(format).replace("-", "m").replace(".", "_");
  const name = spec.function ?? "expr";
  const suffix = spec.derivative === "none" || spec.derivative === undefined ? "" : `_d${spec.derivative}`;
  return `pwl_${name}_${part(spec.in)}_${part(spec.out)}${suffix}`;
}

export const SIMULATORS = ["iverilog", "verilator", "ghdl", "all"] as const;
export type SimulatorChoice = (typeof SIMULATORS)[number];

/** The hardware description languages a unit is written in. */
export const HDLS = ["verilog", "vhdl", "both"] as const;
export type Hdl = (typeof HDLS)[number];

/** Bit-exact software models and files beside the HDL (gen/export/). */
export const EXPORTS = ["c", "numpy", "filelist"] as const;
export type Export = (typeof EXPORTS)[number];

/** A comma-separated list of exports ("c,numpy", "all", "none"), as a sorted list without repeats. */
const exportsField = z.union([z.string(), z.array(z.string())]).transform((value, ctx): Export[] => {
  const items = (Array.isArray(value) ? value : value.split(","))
    .map((item) => item.trim())
    .filter((item) => item !== "");
  const chosen = new Set<Export>();
  for (const item of items) {
    if (item === "all") EXPORTS.forEach((name) => chosen.add(name));
    else if (item === "none") continue;
    else if ((EXPORTS as readonly string[]).includes(item)) chosen.add(item as Export);
    else {
      ctx.addIssue({
        code: "custom",
        message: `has "${item}", which is not an export; give a comma-separated list of ${EXPORTS.join(", ")}, or all or none`,
      });
      return z.NEVER;
    }
  }
  return EXPORTS.filter((name) => chosen.has(name));
});

/** Options of a `gen` run that do not change the hardware (and stay out of the spec hash). */
export const runShape = {
  outDir: z
    .string()
    .min(1)
    .optional()
    .describe(
      "output directory (default rtl-out/<module> in the project: at the nearest folder above holding package.json or .git); replaced only if pwlgen made it, or with --force",
    ),
  verify: z
    .boolean()
    .default(false)
    .describe("lint and simulate the unit against the golden model before writing it"),
  simulator: z.enum(SIMULATORS).optional().describe("simulator(s) for --verify (default: all)"),
  lint: z
    .boolean()
    .default(true)
    .describe(
      "with --verify, lint the module first with -Wall in the chosen simulator(s); --no-lint skips it",
    ),
  force: z.boolean().default(false).describe("replace an output directory that pwlgen did not make"),
  hdl: z
    .enum(HDLS)
    .default("verilog")
    .describe(
      "the unit's HDL: verilog (<module>.v), vhdl (VHDL-2008 <module>.vhd, numeric_std only; checked with GHDL) or both; Yosys (pwlgen synth) reads the Verilog only",
    ),
  export: exportsField
    .default([])
    .describe(
      "bit-exact models and files beside the HDL, comma-separated: c (<module>.h and .c, int32_t <module>_eval(int32_t x)), numpy (<module>.py: evaluate, evaluate_real), filelist (<module>.f), all or none",
    ),
};

export const genSchema = z
  .object({ ...designShape, ...runShape })
  .strict()
  .superRefine(checkCombinations)
  .superRefine((options, ctx) => {
    if (!options.lint && !options.verify) {
      ctx.addIssue({ code: "custom", path: ["lint"], message: "(--no-lint) applies only with --verify" });
    }
    refuseSimulatorWithoutVerify(options, ctx);
    refuseSimulatorWithoutHdl(options, ctx);
  });

/** gen's options that a flag makes inapplicable (see commandOptions). */
export const genDependents = {
  derivative: { none: ["dout", "dmaxError"], slope: ["dmaxError"] },
  verify: { false: ["simulator", "lint"] },
} as const;

/** --simulator chooses what --verify runs: without --verify it would be silently ignored. */
export function refuseSimulatorWithoutVerify(
  options: { simulator?: SimulatorChoice | undefined; verify: boolean },
  ctx: z.RefinementCtx,
): void {
  if (options.simulator !== undefined && !options.verify) {
    ctx.addIssue({ code: "custom", path: ["simulator"], message: "applies only with --verify" });
  }
}

/** The simulators that read each HDL. */
export function simulatorsOf(hdl: Hdl): readonly Exclude<SimulatorChoice, "all">[] {
  return [
    ...(hdl === "vhdl" ? [] : (["iverilog", "verilator"] as const)),
    ...(hdl === "verilog" ? [] : (["ghdl"] as const)),
  ];
}

/** --simulator ghdl needs the VHDL, iverilog and verilator the Verilog. */
export function refuseSimulatorWithoutHdl(
  options: { simulator?: SimulatorChoice | undefined; hdl: Hdl },
  ctx: z.RefinementCtx,
): void {
  const simulator = options.simulator;
  if (simulator === undefined || simulator === "all") return;
  if (!simulatorsOf(options.hdl).includes(simulator)) {
    ctx.addIssue({
      code: "custom",
      path: ["simulator"],
      message:
        simulator === "ghdl"
          ? `simulates the VHDL, and --hdl ${options.hdl} writes none; add --hdl vhdl or --hdl both`
          : `simulates the Verilog, and --hdl ${options.hdl} writes none; add --hdl verilog or --hdl both`,
    });
  }
}

export type GenOptions = z.output<typeof genSchema>;
