import { availableParallelism } from "node:os";
import { z } from "zod";
import { DEFAULT_TARGET, FMAX_TARGETS, TARGET_NAMES, fmaxTargetsText } from "../synth/targets.js";
import {
  designShape,
  refuseSimulatorWithoutHdl,
  refuseSimulatorWithoutVerify,
  runShape,
} from "../spec/schema.js";
import { canonicalJson, reason } from "../spec/load.js";
import { defaultOutputDir } from "../output/places.js";

/**
 * `pwlgen sweep` options: every design field becomes a list (comma-separated on the
 * command line, an array or a comma-separated string in a sweep spec file), and the sweep
 * runs the product of the lists. Each element is validated by the same schema as
 * `pwlgen gen`, so a bad value names the option and the value before anything runs.
 */
const listOf = (element: z.ZodType, what: string) =>
  z.union([z.string(), z.number(), z.array(z.union([z.string(), z.number()]))]).transform((value, ctx) => {
    const items = (Array.isArray(value) ? value : typeof value === "string" ? value.split(",") : [value])
      .map((item) => (typeof item === "string" ? item.trim() : item))
      .filter((item) => item !== "");
    if (items.length === 0) {
      ctx.addIssue({ code: "custom", message: `is empty; give one or more ${what}, separated by commas` });
      return z.NEVER;
    }
    const seen = new Map<string, string | number>();
    for (const item of items) {
      const parsed = element.safeParse(item);
      if (parsed.success) {
        // The same point twice would be computed twice (and race for its directory).
        const same = seen.get(canonicalJson(parsed.data));
        if (same !== undefined) {
          ctx.addIssue({
            code: "custom",
            message: `lists ${JSON.stringify(String(same))}${String(same) === String(item) ? " twice" : ` and ${JSON.stringify(String(item))}, which are the same`}; give each once`,
          });
          return z.NEVER;
        }
        seen.set(canonicalJson(parsed.data), item);
      } else {
        ctx.addIssue({
          code: "custom",
          message: `has ${JSON.stringify(item)}, which ${parsed.error.issues[0] ? reason(parsed.error.issues[0], item) : "is not valid"}`,
        });
        return z.NEVER;
      }
    }
    return items.map(String);
  });

const SHARD = /^(\d+)\/(\d+)$/;

/**
 * The most points a sweep runs without --yes (all shards together): its points are built
 * and checked before the first one runs (600,000 took about 1 GB before a word was printed).
 */
export const MAX_SWEEP_POINTS = 10_000;

export const sweepShape = {
  function: listOf(designShape.function.unwrap(), "function names").describe(
    "functions to sweep, e.g. sigmoid,tanh,gelu,silu",
  ),
  maxError: listOf(designShape.maxError.unwrap(), "bounds")
    .optional()
    .describe("bounds, e.g. 2^-6,2^-8,2^-10 (or --segments)"),
  segments: listOf(designShape.segments.unwrap(), "segment budgets")
    .optional()
    .describe("segment budgets instead of bounds, e.g. 4,8,16"),
  in: listOf(designShape.in, "formats").describe("input formats, e.g. s4.12"),
  out: listOf(designShape.out, "formats").describe("output formats, e.g. s4.12"),
  method: listOf(designShape.method, "methods")
    .default(["auto"])
    .describe("methods: auto,optimal,lsq-greedy,uniform,grid"),
  target: listOf(designShape.target, "targets")
    .default([DEFAULT_TARGET])
    .describe(
      "targets auto and optimal choose their architecture for (one point each); the other methods run once per RTL form the targets write (ice40 and ice40-hx one, xc7 another; generic a third for lsq-greedy, whose trees it writes as word trees, and shares xc7's for uniform and grid)",
    ),
  symmetry: listOf(designShape.symmetry, "settings")
    .default(["auto"])
    .describe("symmetry settings: auto,off"),
  pipeline: listOf(designShape.pipeline, "depths").default(["0"]).describe("pipeline depths, e.g. 0,2"),
  rounding: designShape.rounding,
  exactZero: designShape.exactZero,
  selectBy: designShape.selectBy.describe(
    "how auto and optimal points rank their finalists: estimate (the cost model) or yosys (synthesized for their target; see gen --help)",
  ),
  synth: listOf(z.enum(TARGET_NAMES), "targets")
    .optional()
    .describe(`synthesize every point for these targets (${TARGET_NAMES.join(", ")}; see synth --help)`),
  fmax: z
    .boolean()
    .default(false)
    .describe(
      `place and route each point for Fmax on the --synth targets that allow it (${fmaxTargetsText()}; slow)`,
    ),
  verify: runShape.verify.describe("lint and simulate every point against its golden model"),
  simulator: runShape.simulator,
  hdl: runShape.hdl.describe(
    "the points' HDL: verilog, vhdl or both (see gen --hdl); --verify simulates what is written",
  ),
  junit: z
    .string()
    .min(1)
    .optional()
    .describe(
      "also write the sweep's results as JUnit XML to this file: a testcase per point (failed points fail, infeasible ones are skipped)",
    ),
  jobs: z
    .union([z.number(), z.string()])
    .transform((value, ctx) => {
      const n = Number(value);
      if (!Number.isInteger(n) || n < 1 || n > 256) {
        ctx.addIssue({ code: "custom", message: "must be an integer from 1 to 256" });
        return z.NEVER;
      }
      return n;
    })
    .default(availableParallelism())
    .describe("points run in parallel on worker threads (default: the core count)"),
  shard: z
    .string()
    .superRefine((text, ctx) => {
      const match = SHARD.exec(text);
      if (!match || Number(match[1]) < 1 || Number(match[1]) > Number(match[2])) {
        ctx.addIssue({ code: "custom", message: "is not a shard; write i/n with 1 <= i <= n, e.g. 2/4" });
      }
    })
    .optional()
    .describe(
      "run only the i-th of n deterministic slices (i/n), for CI matrix jobs; join them with sweep merge",
    ),
  outDir: z
    .string()
    .min(1)
    .default(() => defaultOutputDir("sweep"))
    .describe(
      "output directory; by default in the project (the nearest folder above holding package.json or .git)",
    ),
  force: runShape.force.describe("use an output directory that pwlgen did not make"),
  yes: z
    .boolean()
    .default(false)
    .describe(`run a sweep of more than ${MAX_SWEEP_POINTS} points (all shards together)`),
};

/** `pwlgen sweep merge DIR...` options. */
export const mergeShape = {
  outDir: z
    .string()
    .min(1)
    .optional()
    .describe("where to write (default rtl-out/sweep-merged in the project)"),
  force: z.boolean().default(false).describe("use an output directory pwlgen did not make"),
};

/** sweep's options that a flag makes inapplicable (see commandOptions). */
export const sweepDependents = { verify: { false: ["simulator"] } } as const;

export const sweepSchema = z
  .object(sweepShape)
  .strict()
  .superRefine((spec, ctx) => {
    if ((spec.maxError === undefined) === (spec.segments === undefined)) {
      ctx.addIssue({
        code: "custom",
        path: [spec.maxError === undefined ? "maxError" : "segments"],
        message:
          spec.maxError === undefined
            ? "is required: give bounds (--max-error) or segment budgets (--segments)"
            : "cannot be combined with --max-error: give one of them",
      });
    }
    if (
      spec.fmax &&
      !(spec.synth ?? []).some((target) => (FMAX_TARGETS as readonly string[]).includes(target))
    ) {
      ctx.addIssue({
        code: "custom",
        path: ["fmax"],
        message: `needs --synth ${fmaxTargetsText()}: Fmax is placed and routed on an iCE40`,
      });
    }
    refuseSimulatorWithoutVerify(spec, ctx);
    refuseSimulatorWithoutHdl(spec, ctx);
  });

export type SweepOptions = z.output<typeof sweepSchema>;

export function parseShard(shard: string | undefined): { index: number; count: number } {
  const match = shard ? SHARD.exec(shard) : null;
  return match ? { index: Number(match[1]), count: Number(match[2]) } : { index: 1, count: 1 };
}
