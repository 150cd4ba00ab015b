import { parseOptions } from "../spec/load.js";
import { type DesignSpec, type DesignSpecInput, designSchema } from "../spec/schema.js";
import { UserError } from "../spec/errors.js";
import { kebab } from "../spec/load.js";
import { buildsTrees, choosesByCost } from "../segment/problem.js";
import { TARGETS, type TargetName } from "../synth/targets.js";
import { MAX_SWEEP_POINTS, parseShard, type SweepOptions } from "./schema.js";

/**
 * The sweep's points: the product of its lists, in a fixed order (function, input,
 * output, bound, method, symmetry, pipeline), numbered from 0. A shard i/n takes the
 * points whose number is i-1 modulo n, so n shards partition the sweep and their merged
 * rows, sorted by number, are the unsharded rows.
 */
export interface SweepPoint {
  readonly index: number;
  readonly spec: DesignSpecInput;
  /** Directory name under points/: readable, and unique per spec. */
  readonly key: string;
  /** The target the row names: the point's, when it is one of several for its method. */
  readonly target: string | null;
}

/** The lists whose product is the sweep, in the order of the points. */
function sweepLists(options: SweepOptions): [string, readonly string[]][] {
  return [
    ["function", options.function],
    ["in", options.in],
    ["out", options.out],
    options.maxError ? ["maxError", options.maxError] : ["segments", options.segments ?? []],
    ["method", options.method],
    ["target", options.target],
    ["symmetry", options.symmetry],
    ["pipeline", options.pipeline],
  ];
}

/**
 * The targets a method's points are built for: every target for the methods that choose by
 * cost; for the others, whose units differ by target only in how the RTL writes a fold's
 * arithmetic and (for lsq-greedy, whose units are trees) a small tree (the target's
 * foldForm and treeWords), the first target of each form.
 */
export function pointTargets(method: string, targets: readonly string[]): string[] {
  if (choosesByCost(method)) return [...targets];
  const forms = new Set<string>();
  return targets.filter((target) => {
    const { foldForm, treeWords } = TARGETS[target as TargetName];
    const form = `${foldForm}${treeWords && buildsTrees(method) ? " words" : ""}`;
    if (forms.has(form)) return false;
    forms.add(form);
    return true;
  });
}

/**
 * How many points the whole sweep has (every shard), from its lists' lengths alone: more
 * than MAX_SWEEP_POINTS is refused unless --yes, before any point is built. (Methods that
 * do not choose by cost run once per RTL form; the limit counts them once per target,
 * erring high.)
 */
export function sweepSize(options: SweepOptions): number {
  const lists = sweepLists(options);
  const total = lists.reduce((product, [, list]) => product * list.length, 1);
  if (total > MAX_SWEEP_POINTS && !options.yes) {
    throw new UserError(
      "sweep",
      total,
      `points (${lists.map(([key, list]) => `--${kebab(key)} ${list.length}`).join(" x ")}) are more than the ` +
        `${MAX_SWEEP_POINTS} a sweep runs without --yes; give --yes to run them all, or shorter lists`,
    );
  }
  return total;
}

/** The points of the sweep's shard, and how many the whole sweep has. */
export function sweepPoints(options: SweepOptions): { points: SweepPoint[]; total: number } {
  sweepSize(options);
  const bounds: { maxError?: string; segments?: string }[] = options.maxError
    ? options.maxError.map((maxError) => ({ maxError }))
    : options.segments!.map((segments) => ({ segments }));
  const points: SweepPoint[] = [];
  for (const fn of options.function) {
    for (const input of options.in) {
      for (const output of options.out) {
        for (const bound of bounds) {
          for (const method of options.method) {
            // A method that chooses by cost is a point per target; the others one per RTL form.
            const targets = pointTargets(method, options.target);
            for (const target of targets) {
              for (const symmetry of options.symmetry) {
                for (const pipeline of options.pipeline) {
                  const spec = {
                    function: fn,
                    in: input,
                    out: output,
                    ...bound,
                    method,
                    target,
                    symmetry,
                    pipeline,
                    rounding: options.rounding,
                    ...(options.exactZero ? { exactZero: true } : {}),
                    ...(options.selectBy === "yosys" && choosesByCost(method) ? { selectBy: "yosys" } : {}),
                  } as DesignSpecInput;
                  const boundText = bound.maxError ?? `${bound.segments}seg`;
                  const byTarget = choosesByCost(method) || targets.length > 1;
                  const methodKey = byTarget ? `${method}-${target}` : method;
                  // 2^-6 is "2pow-6" ("2e-6" would read as 2x10^-6), "." is "p" (s4.12 is s4p12).
                  const key = [fn, input, output, boundText, methodKey, symmetry, `p${pipeline}`]
                    .join("_")
                    .replace(/\s*(\^|\*\*)\s*/g, "pow")
                    .replace(/[^A-Za-z0-9_-]/g, (c) => (c === "." ? "p" : "_"));
                  points.push({ index: points.length, spec, key, target: byTarget ? target : null });
                }
              }
            }
          }
        }
      }
    }
  }
  const shard = parseShard(options.shard);
  return {
    points: points.filter((point) => point.index % shard.count === shard.index - 1),
    total: points.length,
  };
}

/** A point's validated design spec (a UserError if the point cannot be built). */
export function pointSpec(point: SweepPoint): DesignSpec {
  return parseOptions(designSchema, point.spec as Record<string, unknown>, { fromCli: new Set() });
}
