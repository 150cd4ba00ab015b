import {
  type FixFormat,
  type Overflow,
  type Rounding,
  minCode,
  parseFormat,
} from "../../gen/fixed/format.js";
import { tabulateFunction } from "../../gen/generate.js";
import type { DatapathFormats } from "../../gen/segment/datapath.js";
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
}

/** A segmentation problem for tests; throws if the bound is infeasible. */
export function makeProblem(c: ProblemCase): FitProblem {
  const input = format(c.input);
  const output = format(c.output);
  const reference = tabulateFunction(c.f, input);
  const overflow = c.overflow ?? "saturate";
  const targets = computeTargets(reference, output, c.bound, overflow);
  if (!targets.ok) throw new Error(`infeasible test problem ${JSON.stringify(c)}`);
  return {
    input,
    first: minCode(input),
    output,
    rounding: c.rounding ?? "half-up",
    overflow,
    bound: c.bound,
    reference,
    targets: targets.targets,
  };
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
