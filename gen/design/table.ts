import {
  type FixFormat,
  type Overflow,
  type Rounding,
  fitFormat,
  formatName,
  maxReal,
  minCode,
  minReal,
  toReal,
  ulp,
  width,
} from "../fixed/format.js";
import {
  LARGEST_BOUND,
  NoBoundReachable,
  boundForBudget,
  smallestBoundWithFormats,
  smallestReachableBound,
} from "../quantize/bound.js";
import { type FixedFormats, ampleFormats, chooseFormats, screenFormats } from "../quantize/widths.js";
import { type DatapathFormats, datapathProblem } from "../segment/datapath.js";
import {
  type Fold,
  type FoldStyle,
  NO_FOLD,
  type TableMapping,
  coarseFormat,
  tableDomain,
  tableTargets,
} from "../segment/fold.js";
import { type FitProblem, type Segment, type SegmentationMethod, sampleProblem } from "../segment/problem.js";
import { smallestIndexBits } from "../segment/uniform.js";
import { type TargetResult, computeTargets, pinTarget } from "../segment/targets.js";
import { type BoundSpec, showReal } from "../spec/bound.js";
import { UserError } from "../spec/errors.js";
import { buildChannel } from "./build.js";
import type { PwlChannel } from "./ir.js";

/**
 * Builds one PWL table (port y, or dy for --derivative pwl): resolves the bound, folds by
 * symmetry, chooses coefficient formats, segments with the chosen method and returns the
 * IR channel with how it was reached. Errors name the options of this table.
 */
export interface TableRequest {
  readonly port: string;
  /** The function at every input code (index x - minCode(input)). */
  readonly reference: Float64Array;
  /** The function itself, for the folded table's magnitudes beyond the input range. */
  readonly f: (x: number) => number;
  readonly input: FixFormat;
  readonly output: FixFormat;
  readonly rounding: Rounding;
  readonly overflow: Overflow;
  readonly target:
    | { readonly kind: "bound"; readonly bound: BoundSpec }
    | { readonly kind: "budget"; readonly segments: number };
  /** The function's symmetry as a fold (its style is the architecture's). */
  readonly fold: Fold;
  /**
   * A fold that only --method auto weighs (a ramp fold, f(x) = f(-x) + x: its unfolding
   * costs an adder): the classic designs, and optimal's count, stay unfolded.
   */
  readonly searchFold?: Fold;
  /** Whether the output at x = 0 must be f(0) rounded to the nearest code (--exact-zero). */
  readonly exactZero: boolean;
  readonly method: SegmentationMethod;
  /** How the table reads x and writes y, besides the segment select (default: all bits, two's complement folds). */
  readonly architecture?: TableArchitecture;
  readonly fixed: FixedFormats;
  /** How the user spells this table's options, for messages. */
  readonly labels: TableLabels;
  readonly functionName: string;
}

/**
 * The parts of a table's hardware that its segmentation method does not decide: the fold's
 * style, the low input bits it drops, the low output bits it leaves zero, and whether an
 * index select's multiplier sees offsets within cells.
 */
export interface TableArchitecture {
  readonly foldStyle: FoldStyle;
  readonly inputShift: number;
  readonly outputShift: number;
  readonly offset: boolean;
  /** Multiplier-less slopes with at most this many digits (shift-add); undefined: a multiplier. */
  readonly slopeDigits?: number | undefined;
  /** Uniform cells: runs of adjacent cells share a slope where one serves them all. */
  readonly shareSlopes?: boolean | undefined;
}

export const PLAIN_ARCHITECTURE: TableArchitecture = {
  foldStyle: "twos",
  inputShift: 0,
  outputShift: 0,
  offset: false,
};

export interface TableLabels {
  readonly bound: string;
  readonly budget: string;
  readonly output: string;
  readonly slope: string;
  readonly intercept: string;
}

export interface TableProvenance {
  readonly method: string;
  /** Segment count with generous coefficient formats: no format choice does better (for optimal). */
  readonly ampleSegments: number;
  readonly ampleSlopeFracBits: number;
  /** For a segment budget: the budget asked for. */
  readonly segmentBudget?: number;
  /** The same table without folding, for the report's comparison. */
  readonly unfolded?: UnfoldedCost;
}

/** The same table without folding, or "infeasible" when its formats cannot meet the bound unfolded. */
export type UnfoldedCost = { readonly segments: number; readonly romBits: number } | "infeasible";

/**
 * A bound search, or the reason none exists: the output at x = 0 pinned by --exact-zero
 * that a fixed intercept format cannot produce (the pin does not loosen with the bound).
 */
function reachable(request: TableRequest, search: () => number): number {
  try {
    return search();
  } catch (error) {
    if (!(error instanceof NoBoundReachable)) throw error;
    const intercept = request.fixed.intercept;
    throw new UserError(
      intercept ? request.labels.intercept : "--exact-zero",
      intercept ? formatName(intercept) : true,
      `cannot give ${request.functionName}(0)'s nearest output code at x = 0, which --exact-zero asks for; ${intercept ? "give the intercept more fraction bits or " : ""}drop --exact-zero`,
    );
  }
}

export function buildTable(
  request: TableRequest,
  options: { readonly unfoldedComparison?: boolean } = {},
): { channel: PwlChannel; provenance: TableProvenance } {
  const { input, output, method, fixed } = request;
  const architecture = request.architecture ?? PLAIN_ARCHITECTURE;
  checkFixedFormats(request);
  const folded = request.fold.kind !== "none";
  // The full-range targets of the last bound asked for, shared with the unfolded comparison.
  let cached: { bound: number; full: TargetResult } | undefined;
  const fullTargetsAt = (bound: number): TargetResult => {
    if (cached?.bound !== bound) cached = { bound, full: fullTargets(request, bound) };
    return cached.full;
  };
  const problemAt = (bound: number): FitProblem | undefined =>
    tableProblem(request, architecture, method.indexed, fullTargetsAt(bound), bound);
  const floor = tableFloor(request, architecture);
  if (fixed.slope || fixed.intercept) checkFormatLimits(request, problemAt(Math.max(floor, ulp(output))));

  let bound: number;
  if (request.target.kind === "budget") {
    // f leaves the output range by more than any bound searched (elu with --alpha 1e308).
    if (!(floor <= LARGEST_BOUND)) throw unreachable(request, LARGEST_BOUND, floor);
    const anyProblem = problemAt(Math.max(floor, ulp(output)));
    if (!anyProblem)
      throw notSymmetric(request, Math.max(floor, ulp(output)), request.architecture?.foldStyle);
    const budget = request.target.segments;
    bound = reachable(request, () =>
      boundForBudget(problemAt, ampleFormats(anyProblem, fixed), method.count, budget, floor),
    );
  } else {
    bound = boundValue(request);
    if (bound < floor) throw unreachable(request, bound, floor);
  }
  const table = finishTable(request, architecture, method, problemAt, bound);
  return {
    channel: table.channel,
    provenance: {
      ...table.provenance,
      // The comparison doubles the work; above 20 input bits it is left out.
      ...(folded && options.unfoldedComparison !== false && width(input) <= UNFOLDED_COMPARISON_BITS
        ? { unfolded: unfoldedCost(request, bound, fullTargetsAt(bound)) }
        : {}),
    },
  };
}

/** The request's bound in real units (a bound target). */
function boundValue(request: Omit<TableRequest, "method" | "architecture">): number {
  if (request.target.kind !== "bound") throw new Error("internal: a budget has no bound");
  const asked = request.target.bound;
  return asked.kind === "ulp" ? asked.value * ulp(request.output) : asked.value;
}

/** The accepted output codes at every input code for a bound, with --exact-zero's pin. */
function fullTargets(request: Omit<TableRequest, "method" | "architecture">, bound: number): TargetResult {
  const { input, output, reference } = request;
  const full = computeTargets(reference, output, bound, request.overflow);
  const zero = -minCode(input);
  if (request.exactZero && full.ok) pinTarget(full.targets, zero, reference[zero]!, output);
  return full;
}

/** The smallest bound any table of this architecture reaches: rounding to its output grid. */
function tableFloor(
  request: Omit<TableRequest, "method" | "architecture">,
  architecture: TableArchitecture,
): number {
  return smallestReachableBound(request.reference, coarseFormat(request.output, architecture.outputShift));
}

/** The segmentation problem of a table with an architecture, or undefined when its targets are empty. */
function tableProblem(
  request: Omit<TableRequest, "method" | "architecture">,
  architecture: TableArchitecture,
  indexed: boolean,
  full: TargetResult,
  bound: number,
  reference?: Float64Array,
): FitProblem | undefined {
  if (!full.ok) return undefined;
  const { input, output } = request;
  const mapping: TableMapping = {
    fold: { ...request.fold, style: architecture.foldStyle },
    shift: architecture.inputShift,
  };
  const targets = tableTargets(
    full.targets,
    input,
    output,
    mapping,
    architecture.outputShift,
    request.overflow,
  );
  if (!targets.ok) return undefined;
  return {
    input: coarseFormat(input, architecture.inputShift),
    first: targets.first,
    output: coarseFormat(output, architecture.outputShift),
    rounding: request.rounding,
    overflow: request.overflow,
    bound,
    reference: reference ?? tableReference(request.f, input, mapping),
    targets: targets.targets,
    ...(architecture.offset && indexed ? { offsetBits: 0 } : {}),
    ...(architecture.slopeDigits !== undefined ? { slopeDigits: architecture.slopeDigits } : {}),
    ...(architecture.shareSlopes && indexed ? { shareSlopes: true } : {}),
  };
}

/** Formats, segments and the channel of a table at its bound (the problem exists there). */
function finishTable(
  request: Omit<TableRequest, "architecture">,
  architecture: TableArchitecture,
  method: SegmentationMethod,
  problemAt: (bound: number) => FitProblem | undefined,
  bound: number,
  screen?: { readonly proxyCodes: number },
): { channel: PwlChannel; provenance: TableProvenance } {
  const { fixed, labels, output } = request;
  const problem = problemAt(bound);
  if (!problem) throw notSymmetric(request, bound, architecture.foldStyle);
  const choice = screen
    ? chooseFormats(problem, method.count, fixed, screen.proxyCodes, screenFormats)
    : chooseFormats(problem, method.count, fixed);
  if (!choice.ok && !fixed.slope && !fixed.intercept && method.indexBits !== undefined) {
    throw new UserError(
      "--index-bits",
      method.indexBits,
      `(${2 ** method.indexBits} cells) cannot reach the bound ${showReal(bound)} at every input code with any coefficient formats; give more index bits, or leave --index-bits out for the fewest that do`,
    );
  }
  if (!choice.ok && !fixed.slope && !fixed.intercept) {
    throw new UserError(
      "--method",
      method.name,
      `cannot reach the bound ${showReal(bound)} at every input code with any coefficient formats; --method optimal can`,
    );
  }
  if (!choice.ok) {
    const smallest = reachable(request, () =>
      smallestBoundWithFormats(problemAt, ampleFormats(problem, fixed), tableFloor(request, architecture)),
    );
    const field = fixed.slope ? labels.slope : labels.intercept;
    const value = formatName((fixed.slope ?? fixed.intercept)!);
    const other =
      fixed.slope && fixed.intercept ? `(with ${labels.intercept} ${formatName(fixed.intercept)}) ` : "";
    throw new UserError(
      field,
      value,
      `${other}cannot reach the bound ${showReal(bound)} at every input code; the smallest bound these coefficient formats reach is ${showReal(smallest)}`,
    );
  }
  const formats: DatapathFormats = {
    input: problem.input,
    output: problem.output,
    rounding: problem.rounding,
    overflow: problem.overflow,
    slope: choice.slope,
    intercept: choice.intercept,
    ...(problem.slopeDigits !== undefined ? { slopeDigits: problem.slopeDigits } : {}),
  };
  const outcome = method.segment(problem, formats);
  if (!outcome.ok) throw new Error(`internal: ${method.name} cannot segment with the formats it chose`);
  // A screened table keeps its segments and narrows the generous integer bits to them.
  const stored = screen ? narrowToValues(formats, outcome.segments, fixed) : formats;
  const channel = buildChannel(request.port, problem, stored, outcome.segments, {
    fold: { ...request.fold, style: architecture.foldStyle },
    select: outcome.select,
    inputShift: architecture.inputShift,
    outputShift: architecture.outputShift,
    output,
  });
  return {
    channel,
    provenance: {
      method: method.name,
      ampleSegments: choice.ampleSegments,
      ampleSlopeFracBits: choice.ampleSlopeFracBits,
      ...(request.target.kind === "budget" ? { segmentBudget: request.target.segments } : {}),
    },
  };
}

/** Formats whose integer bits just hold the stored coefficients (fraction bits kept). */
function narrowToValues(
  formats: DatapathFormats,
  segments: readonly Segment[],
  fixed: FixedFormats,
): DatapathFormats {
  const narrow = (values: number[], format: FixFormat): FixFormat => {
    const lo = Math.min(...values);
    const hi = Math.max(...values);
    const signed = lo < 0;
    const candidate = fitFormat(lo, hi, signed, format.fracBits);
    // Formats keep at least one bit (two if signed).
    return width(candidate) >= (signed ? 2 : 1)
      ? candidate
      : { ...candidate, intBits: candidate.intBits + 1 };
  };
  return {
    ...formats,
    slope:
      fixed.slope ??
      narrow(
        segments.map((s) => s.slope),
        formats.slope,
      ),
    intercept:
      fixed.intercept ??
      narrow(
        segments.map((s) => s.intercept),
        formats.intercept,
      ),
  };
}

/** How many architectures' problems a workspace keeps (a 24-bit problem takes about 200 MB). */
const CACHED_PROBLEMS = 4;

/**
 * Many tables of one request at its bound, for the architecture search (choose.ts): the
 * full-range targets are computed once, each architecture's problem once, and a quick
 * count (generous formats, no format search) tells whether an architecture can reach a
 * segment count before it is built.
 */
export class TableWorkspace {
  readonly bound: number;
  private readonly full: TargetResult;
  private readonly problems = new Map<string, FitProblem | undefined>();
  private readonly floors = new Map<number, number>();
  /** Whether each fold style, input and output shift leaves every table code an output (feasible). */
  private readonly feasibility = new Map<string, boolean>();
  private readonly references = new Map<string, Float64Array>();
  private readonly kmin = new Map<string, number | undefined>();

  constructor(readonly request: Omit<TableRequest, "method" | "architecture">) {
    checkFixedFormats(request);
    this.bound = boundValue(request);
    this.full = fullTargets(request, this.bound);
  }

  /** The problem of an architecture (undefined: its targets are empty or its grid too coarse). */
  problem(architecture: TableArchitecture, indexed: boolean): FitProblem | undefined {
    if (!this.feasible(architecture)) return undefined;
    const key = `${architecture.foldStyle} ${architecture.inputShift} ${architecture.outputShift} ${architecture.offset && indexed} ${architecture.slopeDigits} ${architecture.shareSlopes === true && indexed}`;
    const cached = this.problems.get(key);
    if (cached !== undefined || this.problems.has(key)) {
      // Most recently used last: the oldest problems are dropped first.
      this.problems.delete(key);
      this.problems.set(key, cached);
      return cached;
    }
    {
      const reachable = this.floor(architecture.outputShift) <= this.bound;
      const referenceKey = `${architecture.foldStyle} ${architecture.inputShift}`;
      let reference = this.references.get(referenceKey);
      if (!reference) {
        const mapping = {
          fold: { ...this.request.fold, style: architecture.foldStyle },
          shift: architecture.inputShift,
        };
        reference = tableReference(this.request.f, this.request.input, mapping);
        this.references.set(referenceKey, reference);
      }
      this.problems.set(
        key,
        reachable
          ? tableProblem(this.request, architecture, indexed, this.full, this.bound, reference)
          : undefined,
      );
      // Problems of wide inputs are large (two arrays of every table code): keep a few.
      while (this.problems.size > CACHED_PROBLEMS) this.problems.delete(this.problems.keys().next().value!);
      while (this.references.size > CACHED_PROBLEMS)
        this.references.delete(this.references.keys().next().value!);
    }
    return this.problems.get(key);
  }

  /** The smallest bound an output grid of 2^shift ulps reaches (rounding alone). */
  private floor(outputShift: number): number {
    let floor = this.floors.get(outputShift);
    if (floor === undefined) {
      floor = tableFloor(this.request, { ...PLAIN_ARCHITECTURE, outputShift });
      this.floors.set(outputShift, floor);
    }
    return floor;
  }

  /**
   * Whether an architecture can meet the bound at all: its output grid's rounding is within
   * the bound and every table code's targets keep an output (cheaper than building the problem).
   */
  feasible(architecture: TableArchitecture): boolean {
    // The table keeps at least 2 input bits and 1 output bit (as --drop-*-bits allow).
    if (architecture.inputShift > width(this.request.input) - 2) return false;
    if (architecture.outputShift > width(this.request.output) - 1) return false;
    if (this.floor(architecture.outputShift) > this.bound || !this.full.ok) return false;
    const key = `${architecture.foldStyle} ${architecture.inputShift} ${architecture.outputShift}`;
    let feasible = this.feasibility.get(key);
    if (feasible === undefined) {
      const mapping: TableMapping = {
        fold: { ...this.request.fold, style: architecture.foldStyle },
        shift: architecture.inputShift,
      };
      const { input, output, overflow } = this.request;
      feasible = tableTargets(
        this.full.targets,
        input,
        output,
        mapping,
        architecture.outputShift,
        overflow,
      ).ok;
      this.feasibility.set(key, feasible);
    }
    return feasible;
  }

  /** Segments with generous formats: the fewest any formats give (Infinity when unreachable). */
  quickCount(architecture: TableArchitecture, method: SegmentationMethod): number {
    const problem = this.problem(architecture, method.indexed);
    return problem ? method.count(problem, ampleFormats(problem, this.request.fixed)) : Infinity;
  }

  /**
   * The fewest index bits that make every cell feasible with generous formats (undefined:
   * none), on every code or on a sample of about `sample` codes (a few bits fewer, at most).
   */
  indexBits(architecture: TableArchitecture, sample = Infinity): number | undefined {
    const key = `${architecture.foldStyle} ${architecture.inputShift} ${architecture.outputShift} ${architecture.offset} ${architecture.slopeDigits} ${sample}`;
    if (!this.kmin.has(key)) {
      const full = this.problem(architecture, true);
      const problem = full && sampleProblem(full, sample);
      this.kmin.set(
        key,
        problem ? smallestIndexBits(problem, ampleFormats(problem, this.request.fixed), Infinity) : undefined,
      );
    }
    return this.kmin.get(key);
  }

  /**
   * A complete table; UserError when the architecture cannot meet the bound. Screened (for
   * ranking only): built on a sample of about `screen.codes` codes, its widths searched
   * quickly; its bound is not checked on the codes left out.
   */
  build(
    architecture: TableArchitecture,
    method: SegmentationMethod,
    screen?: { readonly codes: number },
  ): { channel: PwlChannel; provenance: TableProvenance } {
    const problem = this.problem(architecture, method.indexed);
    if (!problem) throw notSymmetric(this.request, this.bound, architecture.foldStyle);
    const used = screen ? sampleProblem(problem, screen.codes) : problem;
    return finishTable(
      { ...this.request, method },
      architecture,
      method,
      () => used,
      this.bound,
      screen ? { proxyCodes: Infinity } : undefined,
    );
  }
}

const UNFOLDED_COMPARISON_BITS = 20;

/**
 * The most input bits a table can drop, and the coarsest output grid it can have, with a
 * fold style at the request's bound: beyond them some code's targets leave no output
 * (the codes sharing a table entry disagree, or rounding to the grid alone misses the
 * bound). A segment budget allows neither.
 */
export function reachableShifts(
  request: Omit<TableRequest, "method" | "architecture">,
  foldStyle: FoldStyle,
): { input: number; output: number } {
  if (request.target.kind !== "bound") return { input: 0, output: 0 };
  const { input, output, reference, overflow } = request;
  const asked = request.target.bound;
  const bound = asked.kind === "ulp" ? asked.value * ulp(output) : asked.value;
  const full = computeTargets(reference, output, bound, overflow);
  if (!full.ok) return { input: 0, output: 0 };
  if (request.exactZero) pinTarget(full.targets, -minCode(input), reference[-minCode(input)]!, output);
  const fold: Fold = { ...request.fold, style: foldStyle };
  const fits = (inputShift: number, outputShift: number): boolean =>
    smallestReachableBound(reference, coarseFormat(output, outputShift)) <= bound &&
    tableTargets(full.targets, input, output, { fold, shift: inputShift }, outputShift, overflow).ok;
  let inputMax = 0;
  while (inputMax + 1 < width(input) - 2 && fits(inputMax + 1, 0)) inputMax++;
  let outputMax = 0;
  while (outputMax + 1 < width(output) - 1 && fits(0, outputMax + 1)) outputMax++;
  return { input: inputMax, output: outputMax };
}

/** The same table without folding, with formats of its own: what symmetry saves. */
function unfoldedCost(request: TableRequest, bound: number, full: TargetResult): UnfoldedCost {
  if (!full.ok) throw new Error("internal: the unfolded table is infeasible where the folded one is not");
  const architecture = request.architecture ?? PLAIN_ARCHITECTURE;
  const mapping: TableMapping = { fold: NO_FOLD, shift: architecture.inputShift };
  const targets = tableTargets(
    full.targets,
    request.input,
    request.output,
    mapping,
    architecture.outputShift,
    request.overflow,
  );
  if (!targets.ok) return "infeasible";
  const problem: FitProblem = {
    input: coarseFormat(request.input, architecture.inputShift),
    first: targets.first,
    output: coarseFormat(request.output, architecture.outputShift),
    rounding: request.rounding,
    overflow: request.overflow,
    bound,
    reference: tableReference(request.f, request.input, mapping),
    targets: targets.targets,
    ...(architecture.offset && request.method.indexed ? { offsetBits: 0 } : {}),
    ...(architecture.slopeDigits !== undefined ? { slopeDigits: architecture.slopeDigits } : {}),
  };
  const choice = chooseFormats(problem, request.method.count, request.fixed);
  // Pinned formats (or a segment count the method cannot reach) that only folding meets.
  if (!choice.ok || !Number.isFinite(choice.segments)) return "infeasible";
  return {
    segments: choice.segments,
    romBits: choice.segments * (width(choice.slope) + width(choice.intercept)),
  };
}

/**
 * f at each table code, for least squares and the generous formats: at the centre of the
 * input codes the table code serves (for a one's complement fold, between t and t + 1,
 * the magnitudes of its two sides).
 */
function tableReference(f: (x: number) => number, input: FixFormat, mapping: TableMapping): Float64Array {
  const { first, last } = tableDomain(mapping, input);
  const values = new Float64Array(last - first + 1);
  const size = 2 ** mapping.shift;
  const centre = (size - 1) / 2 + (mapping.fold.kind !== "none" && mapping.fold.style === "ones" ? 0.5 : 0);
  const step = ulp(input);
  for (let i = 0; i < values.length; i++) values[i] = f(((first + i) * size + centre) * step);
  return values;
}

function checkFixedFormats(request: Omit<TableRequest, "method" | "architecture">): void {
  const { fixed, input, output, labels } = request;
  const accFrac = fixed.slope ? input.fracBits + fixed.slope.fracBits : undefined;
  if (accFrac !== undefined && accFrac < output.fracBits) {
    throw new UserError(
      labels.slope,
      formatName(fixed.slope!),
      `needs at least ${output.fracBits - input.fracBits} fraction bits so the product reaches the output's ${output.fracBits}`,
    );
  }
  if (accFrac !== undefined && fixed.intercept && fixed.intercept.fracBits > accFrac) {
    throw new UserError(
      labels.intercept,
      formatName(fixed.intercept),
      `has more fraction bits than input + slope (${accFrac})`,
    );
  }
}

/** Fixed formats must keep every datapath value exact in doubles (datapathProblem). */
function checkFormatLimits(request: TableRequest, problem: FitProblem | undefined): void {
  const { fixed, labels } = request;
  if (!problem || (!fixed.slope && !fixed.intercept)) return;
  const limit = datapathProblem(ampleFormats(problem, fixed));
  if (limit === undefined) return;
  const field = fixed.slope ? labels.slope : labels.intercept;
  const value = formatName((fixed.slope ?? fixed.intercept)!);
  const other =
    fixed.slope && fixed.intercept ? ` with ${labels.intercept} ${formatName(fixed.intercept)}` : "";
  throw new UserError(field, value, `${limit}${other}; pwlgen keeps every datapath value below 2^51`);
}

/**
 * Why a bound cannot be met: below half an output ulp (blame the bound), or the function
 * leaves the output format's range by more than the bound (blame the output format).
 */
function unreachable(request: TableRequest, bound: number, floor: number): UserError {
  const { output, input, reference, labels } = request;
  const half = ulp(output) / 2;
  // In ulps too, when that is a number (a bound of 1e308 is more ulps than a double holds).
  const ulps = floor / ulp(output);
  const reach = `the smallest reachable bound is ${showReal(floor)}${Number.isFinite(ulps) ? ` (${ulps.toPrecision(4)}ulp)` : ""}`;
  if (bound < half) {
    const asked = request.target.kind === "bound" ? request.target.bound : undefined;
    const label = asked?.kind === "ulp" ? `${asked.value}ulp` : showReal(bound);
    return new UserError(
      labels.bound,
      label,
      `is below half an output ulp (${showReal(half)} for ${formatName(output)}), which output rounding alone costs; ${reach}`,
    );
  }
  const lo = minReal(output);
  const hi = maxReal(output);
  const index = Math.max(
    0,
    reference.findIndex((f) => Math.abs(f - Math.min(hi, Math.max(lo, f))) > bound),
  );
  const x = toReal(minCode(input) + index, input);
  return new UserError(
    labels.output,
    formatName(output),
    `cannot hold ${request.functionName}(${x}) = ${reference[index]!.toPrecision(8)} within ${showReal(bound)}: ` +
      `its range is [${lo}, ${hi}]; choose a wider output format (${reach} with this one)`,
  );
}

function notSymmetric(
  request: Pick<TableRequest, "functionName" | "fold" | "f" | "input" | "output">,
  bound: number,
  style: FoldStyle | undefined,
): UserError {
  const ramp = request.fold.kind === "ramp";
  // A ramp-folded table serves x = minimum at |x| = -minimum, one code beyond the input's
  // positive range: it holds f(|x|), which the output may not.
  const edge = -minReal(request.input);
  if (ramp && request.f(edge) > maxReal(request.output)) {
    return new UserError(
      "--symmetry",
      "ramp",
      `folds ${request.functionName} as f(x) = f(-x) + x, so the table serves x = ${-edge} at |x| = ${edge} and must hold ${request.functionName}(${edge}) = ${showReal(request.f(edge))}, above the largest ${formatName(request.output)} value ${showReal(maxReal(request.output))}; give --out one more integer bit or use --symmetry auto`,
    );
  }
  // The fold's style is the architecture's (the request's fold carries the symmetry only).
  const ones = (style ?? request.fold.style) === "ones";
  return new UserError(
    "--symmetry",
    ramp ? "ramp" : "auto",
    `folds ${request.functionName} as ${request.fold.kind}-symmetric${ones ? " with x ^ sign" : ""}, but at the bound ${showReal(bound)} the two halves do not agree; use ${ones ? "--fold-style twos or " : ""}--symmetry ${ramp ? "auto" : "off"}`,
  );
}
