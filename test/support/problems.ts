import {
  type FixFormat,
  type Overflow,
  type Rounding,
  minCode,
  parseFormat,
  ulp,
} from "../../gen/fixed/format.js";
import { tabulateFunction } from "../../gen/generate.js";
import type { DatapathFormats } from "../../gen/segment/datapath.js";
import { type Fold, foldedCodeCount, tableTargets } from "../../gen/segment/fold.js";
import type { FitProblem } from "../../gen/segment/problem.js";
import { computeTargets } from "../../gen/segment/targets.js";

export function format(text: string): FixFormat {
  const parsed = parseFormat(text);
  if (!parsed) throw new Error(`bad test format ${text}`);
  return parsed;
}

export interface ProblemCase {
  readonly f: (x: number) => number;
  readonly input: string;
  readonly output: string;
  readonly bound: number;
  readonly rounding?: Rounding;
  readonly overflow?: Overflow;
  /** Fold by symmetry: the problem covers the magnitudes 0 .. 2^(w-1) of a signed input. */
  readonly fold?: Fold;
}

/** A segmentation problem for tests; throws if the bound is infeasible. */
export function makeProblem(c: ProblemCase): FitProblem {
  const input = format(c.input);
  const output = format(c.output);
  const reference = tabulateFunction(c.f, input);
  const overflow = c.overflow ?? "saturate";
  const full = computeTargets(reference, output, c.bound, overflow);
  const targets =
    full.ok && c.fold
      ? tableTargets(full.targets, input, output, { fold: c.fold, shift: 0 }, 0, overflow)
      : full;
  if (!targets.ok) throw new Error(`infeasible test problem ${JSON.stringify(c)}`);
  return {
    input,
    first: c.fold ? 0 : minCode(input),
    output,
    rounding: c.rounding ?? "half-up",
    overflow,
    bound: c.bound,
    reference: c.fold
      ? Float64Array.from({ length: foldedCodeCount(input) }, (_, t) => c.f(t * ulp(input)))
      : reference,
    targets: targets.targets,
  };
}

/** For a folded case: its fold and f at every input code, for the brute-force twin. */
export function foldingOf(c: ProblemCase): { fold: Fold; reference: Float64Array } | undefined {
  return c.fold ? { fold: c.fold, reference: tabulateFunction(c.f, format(c.input)) } : undefined;
}

export function formatsFor(problem: FitProblem, slope: string, intercept: string): DatapathFormats {
  return {
    input: problem.input,
    output: problem.output,
    rounding: problem.rounding,
    overflow: problem.overflow,
    slope: format(slope),
    intercept: format(intercept),
  };
}
