import { width } from "../fixed/format.js";
import { type CostEstimate, SCARCE, estimateCost } from "../cost/model.js";
import { type Fold, type FoldStyle, NO_FOLD } from "../segment/fold.js";
import { segmenter } from "../segment/methods.js";
import { type MethodName, type SegmentationMethod, choosesByCost } from "../segment/problem.js";
import { UserError } from "../spec/errors.js";
import { counted } from "../text.js";
import { TARGETS, type TargetName } from "../synth/targets.js";
import { type PwlChannel, type PwlDesign, architectureText, hardwareSummary, romEntries } from "./ir.js";
import {
  PLAIN_ARCHITECTURE,
  type TableArchitecture,
  type TableProvenance,
  type TableRequest,
  TableWorkspace,
  buildTable,
} from "./table.js";

/**
 * The architecture of a table, chosen per --method:
 *
 * - `lsq-greedy`, `uniform`, `grid`: the classic datapath (two's complement folds, every
 *   input and output bit) with whatever the spec pins (--fold-style, --drop-input-bits, ...).
 * - `optimal`: the fewest segments the classic datapath can have (the paper's measure, the
 *   count pwlgen has always proven minimal, with breakpoints placed where comparisons are
 *   cheapest); among the architectures that keep exactly that count (a one's complement
 *   fold, dropped input bits, a coarser output grid), the cheapest for --target.
 * - `auto`: the cheapest unit for --target by the cost model that meets the bound, searched
 *   over comparator trees, uniform and grid index selects with and without local offsets,
 *   fold styles (and no fold), dropped input bits and output grids: a local search from the
 *   classic designs and a seed suited to the target, each step to the cheapest neighbour,
 *   until none is cheaper. What the spec pins is not searched. With --pipeline, a candidate
 *   whose slowest stage is estimated deeper than the classic uniform design's is left out,
 *   so auto does not clock slower.
 *
 * Every candidate is a complete table built and checked like any other (its bound holds on
 * every code by construction, and the winner is rebuilt exactly); the choice only ranks
 * them by estimated cost. With a segment budget (--segments) there is no bound to search
 * at, and auto builds optimal.
 */
export interface ArchitectureSpec {
  readonly method: MethodName;
  readonly target: TargetName;
  readonly foldStyle?: FoldStyle | undefined;
  readonly dropInputBits?: number | undefined;
  readonly dropOutputBits?: number | undefined;
  readonly indexBits?: number | undefined;
  readonly localOffset?: boolean | undefined;
  readonly shareSlopes?: boolean | undefined;
  readonly slopeDigits?: number | undefined;
  /** How the finalists are ranked: the cost model, or Yosys through TableContext.measure. */
  readonly selectBy?: "estimate" | "yosys" | undefined;
}

/** What the cost model needs to know of the unit around a table. */
export interface TableContext {
  readonly function: string;
  readonly pipeline: number;
  /** Synthesizes a one-channel design for the target (--select-by yosys; see generate.ts). */
  readonly measure?: (design: PwlDesign, target: TargetName) => Measured;
}

/** Cell counts Yosys gives a candidate on the target. */
export interface Measured {
  readonly lut: number;
  readonly carry: number;
  readonly dsp: number;
  readonly bram: number;
  readonly ff: number;
}

/** One architecture the search built, with its estimated cost. */
export interface Candidate {
  readonly method: string;
  readonly architecture: string;
  readonly segments: number;
  readonly romEntries: number;
  readonly romBits: number;
  readonly estimate: CostEstimate;
  /**
   * Built on a sample of about SCREEN_CODES input codes to rank it (its widths and estimate
   * approximate, its bound unchecked elsewhere), not on every code as the winner is.
   */
  readonly screened: boolean;
  /** With --select-by yosys, for the finalists: what Yosys made of it on the target. */
  readonly measured?: Measured;
}

/** How a table's architecture was chosen (manifest.json `choice`, report.md). */
export interface Choice {
  readonly method: "auto" | "optimal";
  readonly target: TargetName;
  /** The candidates built, cheapest first; the first is the table. */
  readonly candidates: readonly Candidate[];
  /** The segment count of `optimal` on the classic datapath: the paper's measure. */
  readonly optimalSegments: number;
  /** --slope-digits, when given: optimalSegments counts segments with slopes of at most this many digits. */
  readonly optimalSlopeDigits?: number;
  /** Why the winner won, in a sentence. */
  readonly reason: string;
}

type Base = Omit<TableRequest, "method" | "architecture">;

interface Built {
  readonly channel: PwlChannel;
  readonly provenance: TableProvenance;
  readonly candidate: Candidate;
}

/** A point of the search space: a fold (or none), an architecture and a segment select. */
interface Design {
  readonly folded: boolean;
  readonly architecture: TableArchitecture;
  readonly select: Select;
}

type Select =
  { readonly kind: "tree" } | { readonly kind: "uniform" | "grid"; readonly indexBits: number | undefined };

/** Candidates are screened with their coefficient widths searched on this many codes. */
const SCREEN_CODES = 1025;
/**
 * Above this many input bits auto compares only the classic optimal and uniform designs:
 * the search's tables would take gigabytes (24 bits: about 200 MB per architecture).
 */
export const WIDE_INPUT_BITS = 20;

/** The most slope digits auto tries (shift-add), on targets whose multipliers are LUTs. */
const SEARCHED_DIGITS = 3;
/** How many more candidates the shift-add phase may build. */
const DIGITS_LIMIT = 40;

/** How many of the cheapest screened candidates are rebuilt exactly before the choice. */
const FINALISTS = 3;
/** At most this many candidates are built in one search. */
const SEARCH_LIMIT = 80;

export function buildChosenTable(
  request: Base,
  spec: ArchitectureSpec,
  context: TableContext,
): { channel: PwlChannel; provenance: TableProvenance; choice?: Choice } {
  const pinned: TableArchitecture = {
    foldStyle: spec.foldStyle ?? PLAIN_ARCHITECTURE.foldStyle,
    inputShift: spec.dropInputBits ?? 0,
    outputShift: spec.dropOutputBits ?? 0,
    offset: spec.localOffset ?? false,
    slopeDigits: spec.slopeDigits,
    shareSlopes: spec.shareSlopes ?? false,
  };
  const classicMethod = choosesByCost(spec.method) ? "optimal" : spec.method;
  if (classicMethod !== "optimal" || request.target.kind === "budget") {
    return buildTable({ ...request, method: segmenter(classicMethod, spec.indexBits), architecture: pinned });
  }
  // The classic datapath's optimal: its count is the paper's measure, and optimal keeps it.
  // Built first and on its own, so that a bound no design can meet is refused as usual.
  const classicFolded = request.fold.kind !== "none";
  const classicDesign: Design = {
    folded: classicFolded,
    architecture: { ...pinned, offset: false },
    select: { kind: "tree" },
  };
  // What folding saves is reported for optimal only (auto's report lists its candidates):
  // the comparison builds the whole table again without folding, about half the time here.
  const classic = buildTable(
    { ...request, method: segmenter("optimal"), architecture: classicDesign.architecture },
    { unfoldedComparison: spec.method === "optimal" },
  );
  const search = new Search(request, spec, context, classic.provenance.unfolded);
  search.add(classicDesign, classic);
  const optimalSegments = classic.channel.breakpoints.length;
  if (spec.method === "optimal") search.optimal(pinned, optimalSegments);
  else if (width(request.input) > WIDE_INPUT_BITS) search.classic(pinned);
  else search.auto(pinned);
  return search.finish(spec.method === "optimal" ? "optimal" : "auto", optimalSegments);
}

class Search {
  private readonly workspaces = new Map<boolean, TableWorkspace>();
  private readonly built = new Map<string, Built | undefined>();
  private readonly classicKeys = new Set<string>();
  /** The fold the search may use: the function's symmetry, or a ramp fold only auto weighs. */
  private readonly fold: Fold;
  /** Whether the classic designs (optimal, uniform) are folded. */
  private readonly classicFolded: boolean;

  constructor(
    private readonly request: Base,
    private readonly spec: ArchitectureSpec,
    private readonly context: TableContext,
    /** The classic table without folding, for the report's comparison. */
    private readonly unfolded: TableProvenance["unfolded"],
  ) {
    this.classicFolded = request.fold.kind !== "none";
    this.fold = this.classicFolded ? request.fold : (request.searchFold ?? NO_FOLD);
  }

  /** The workspace of the folded table (as the function's symmetry asks) or of the unfolded one. */
  private workspace(folded: boolean): TableWorkspace {
    const key = folded && this.fold.kind !== "none";
    let workspace = this.workspaces.get(key);
    if (!workspace) {
      workspace = new TableWorkspace({ ...this.request, fold: key ? this.fold : NO_FOLD });
      this.workspaces.set(key, workspace);
    }
    return workspace;
  }

  private method(select: Select): SegmentationMethod {
    return select.kind === "tree" ? segmenter("optimal") : segmenter(select.kind, select.indexBits);
  }

  private key(design: Design): string {
    const a = design.architecture;
    const folded = design.folded && this.fold.kind !== "none";
    const s = design.select;
    return [
      folded ? a.foldStyle : "none",
      a.inputShift,
      a.outputShift,
      s.kind === "tree"
        ? "tree"
        : `${s.kind}${s.indexBits ?? ""}${a.offset ? "o" : ""}${a.shareSlopes && s.kind === "uniform" ? "s" : ""}`,
      a.slopeDigits ?? "mul",
    ].join("|");
  }

  /** How many candidates the search may build (screened); the shift-add phase raises it. */
  private limit = SEARCH_LIMIT;
  /** Whether neighbours include a digit more or fewer (the shift-add phase). */
  private digits = false;

  /** The classic optimal design's key (the table add() records). */
  private classicTree: string | undefined;

  /** Records a table built elsewhere (exact) as a candidate: the classic optimal design. */
  add(design: Design, table: { channel: PwlChannel; provenance: TableProvenance }): void {
    this.classicTree = this.key(design);
    const method = this.method(design.select);
    const built = { ...table, candidate: this.describe(table.channel, method.name, false) };
    this.built.set(this.key(design), built);
    this.built.set(`${this.key(design)}|exact`, built);
  }

  /**
   * A design with its index bits decided: an index select without a given k takes the
   * fewest index bits that work with generous formats (the classic uniform count), found
   * once (widths are then searched at that k). Undefined when no k works.
   */
  private resolve(design: Design, exact: boolean): Design | undefined {
    if (design.select.kind === "tree" || design.select.indexBits !== undefined) return design;
    const architecture = {
      ...design.architecture,
      offset: design.architecture.offset && design.select.kind === "uniform",
    };
    const k = this.workspace(design.folded).indexBits(architecture, exact ? Infinity : SCREEN_CODES);
    return k === undefined ? undefined : { ...design, select: { kind: design.select.kind, indexBits: k } };
  }

  /** The key a (screened) design is built under: its index bits decided. */
  private builtKey(design: Design): string | undefined {
    const resolved = this.resolve(design, false);
    return resolved && this.key(resolved);
  }

  /** Builds a design (once; undefined when it cannot meet the bound), screened or exact. */
  evaluate(requested: Design, exact = false): Built | undefined {
    const design = this.resolve(requested, exact);
    if (!design) return undefined;
    const key = `${this.key(design)}${exact ? "|exact" : ""}`;
    if (this.built.has(key)) return this.built.get(key);
    if (!exact && this.built.size >= this.limit) return undefined;
    let result: Built | undefined;
    try {
      const method = this.method(design.select);
      const table = this.workspace(design.folded).build(
        {
          ...design.architecture,
          offset: design.architecture.offset && design.select.kind === "uniform",
          shareSlopes: design.architecture.shareSlopes === true && design.select.kind === "uniform",
        },
        method,
        exact ? undefined : { codes: SCREEN_CODES },
      );
      result = { ...table, candidate: this.describe(table.channel, method.name, !exact) };
    } catch (error) {
      // A design that cannot meet the bound is not a candidate.
      if (!(error instanceof UserError)) throw error;
    }
    this.built.set(key, result);
    return result;
  }

  /** A design of the channel alone, as the cost model and Yosys see a candidate. */
  private alone(channel: PwlChannel): PwlDesign {
    return {
      module: "candidate",
      function: this.context.function,
      input: this.request.input,
      pipeline: this.context.pipeline,
      specHash: "",
      toolVersion: "",
      foldForm: TARGETS[this.spec.target].foldForm,
      ...(TARGETS[this.spec.target].treeWords ? { treeWords: true as const } : {}),
      y: channel,
    };
  }

  private describe(channel: PwlChannel, method: string, screened: boolean): Candidate {
    const request = this.request;
    const hardware = hardwareSummary(request.input, channel);
    const alone = this.alone(channel);
    return {
      method,
      architecture: architectureText(channel),
      segments: channel.breakpoints.length,
      romEntries: romEntries(channel),
      romBits: hardware.romBits,
      estimate: estimateCost(alone, this.spec.target),
      screened,
    };
  }

  /** The most input and output bits a fold style can drop at the bound (walking up one at a time). */
  private reach(folded: boolean, style: FoldStyle): { input: number; output: number } {
    const workspace = this.workspace(folded);
    const fits = (inputShift: number, outputShift: number): boolean =>
      workspace.feasible({ foldStyle: style, inputShift, outputShift, offset: false });
    let input = 0;
    while (input < 12 && fits(input + 1, 0)) input++;
    let output = 0;
    while (output < 12 && fits(0, output + 1)) output++;
    return { input, output };
  }

  private styles(folded: boolean): FoldStyle[] {
    if (!folded || this.fold.kind === "none") return ["twos"];
    if (this.spec.foldStyle !== undefined) return [this.spec.foldStyle];
    // --exact-zero promises an exactly odd or point-symmetric unit, which x ^ sign is not.
    return this.request.exactZero ? ["twos"] : ["ones", "twos"];
  }

  /** optimal: the architectures that keep the classic count, the cheapest of them. */
  optimal(pinned: TableArchitecture, count: number): void {
    const optimal = segmenter("optimal");
    for (const style of this.styles(this.classicFolded)) {
      const reach = this.reach(this.classicFolded, style);
      const ins = this.spec.dropInputBits !== undefined ? [this.spec.dropInputBits] : range(reach.input);
      const outs = this.spec.dropOutputBits !== undefined ? [this.spec.dropOutputBits] : range(reach.output);
      // For each number of dropped input bits, the coarsest output grid that keeps the
      // count (a count only grows as bits go: the walk stops at the first that does not).
      for (const inputShift of ins) {
        let best: TableArchitecture | undefined;
        for (const outputShift of outs) {
          const architecture = { ...pinned, foldStyle: style, inputShift, outputShift, offset: false };
          if (this.workspace(this.classicFolded).quickCount(architecture, optimal) !== count) break;
          best = architecture;
        }
        if (!best) break;
        // Generous formats reach the count, so the narrowest formats that keep it do too.
        this.evaluate({ folded: this.classicFolded, architecture: best, select: { kind: "tree" } });
      }
    }
  }

  /**
   * auto above WIDE_INPUT_BITS: each architecture's tables take hundreds of megabytes
   * there, so only the classic designs (optimal, already built, and uniform) compete.
   */
  classic(pinned: TableArchitecture): void {
    const uniform: Design = {
      folded: this.classicFolded,
      architecture: { ...pinned, offset: false, shareSlopes: false },
      select: { kind: "uniform", indexBits: this.spec.indexBits },
    };
    if (this.evaluate(uniform)) this.classicKeys.add(this.builtKey(uniform)!);
  }

  /** auto: local search from the classic designs and a seed for the target. */
  auto(pinned: TableArchitecture): void {
    const spec = this.spec;
    const classicUniform: Design = {
      folded: this.classicFolded,
      architecture: { ...pinned, offset: false, shareSlopes: false },
      select: { kind: "uniform", indexBits: spec.indexBits },
    };
    const uniform = this.evaluate(classicUniform);
    if (uniform) this.classicKeys.add(this.builtKey(classicUniform)!);
    const style = this.styles(true)[0]!;
    const reach = this.reach(true, style);
    const seed: Design = {
      folded: true,
      architecture: {
        foldStyle: style,
        inputShift: spec.dropInputBits ?? Math.max(0, reach.input - 1),
        outputShift: spec.dropOutputBits ?? Math.max(0, reach.output - 1),
        offset: spec.localOffset ?? false,
        slopeDigits: spec.slopeDigits,
        shareSlopes: spec.shareSlopes ?? false,
      },
      select: { kind: "uniform", indexBits: spec.indexBits },
    };
    const seeds = [classicUniform, { ...classicUniform, select: { kind: "tree" } } as Design, seed];
    for (const start of seeds) this.climb(start);
    // Where multipliers are LUTs: shift-add slopes, climbing again from the cheapest design
    // found (a phase of its own, so that the search above is the same with or without it).
    if (spec.slopeDigits === undefined && !TARGETS[spec.target].dsp) {
      const best = this.candidates().sort((x, y) => compare(x[1], y[1]))[0];
      if (best) {
        this.digits = true;
        this.limit += DIGITS_LIMIT;
        this.climb(this.designOf(best[0]));
      }
    }
  }

  private climb(start: Design): void {
    let current = start;
    let currentBuilt = this.evaluate(current);
    if (!currentBuilt) return;
    for (;;) {
      let best: { design: Design; built: Built } | undefined;
      for (const next of this.neighbours(current, currentBuilt)) {
        const built = this.evaluate(next);
        if (!built) continue;
        if (!best || better(built, best.built)) best = { design: next, built };
      }
      if (!best || !better(best.built, currentBuilt)) return;
      current = best.design;
      currentBuilt = best.built;
    }
  }

  /** One step away: a bit more or less dropped, the other fold, another select, a finer or coarser index. */
  private neighbours(design: Design, built: Built): Design[] {
    const spec = this.spec;
    const a = design.architecture;
    const out: Design[] = [];
    const push = (
      change: Partial<TableArchitecture>,
      select: Select = design.select,
      folded = design.folded,
    ): void => {
      out.push({ folded, architecture: { ...a, ...change }, select });
    };
    if (spec.dropInputBits === undefined) {
      push({ inputShift: a.inputShift + 1 });
      if (a.inputShift > 0) push({ inputShift: a.inputShift - 1 });
    }
    if (spec.dropOutputBits === undefined) {
      push({ outputShift: a.outputShift + 1 });
      if (a.outputShift > 0) push({ outputShift: a.outputShift - 1 });
    }
    if (this.fold.kind !== "none" && spec.foldStyle === undefined) {
      if (design.folded && !this.request.exactZero)
        push({ foldStyle: a.foldStyle === "ones" ? "twos" : "ones" });
      push({}, design.select, !design.folded);
    }
    const k = built.channel.select.kind === "index" ? built.channel.select.indexBits : undefined;
    const selects: Select[] = [{ kind: "tree" }];
    for (const kind of ["uniform", "grid"] as const) {
      if (spec.indexBits !== undefined) selects.push({ kind, indexBits: spec.indexBits });
      else {
        selects.push({ kind, indexBits: undefined });
        if (k !== undefined)
          for (const next of [k - 1, k + 1]) if (next >= 1) selects.push({ kind, indexBits: next });
      }
    }
    for (const select of selects) push({}, select);
    if (spec.localOffset === undefined && design.select.kind === "uniform") push({ offset: !a.offset });
    // Shared slopes where the multiplier is logic: with a DSP block Yosys measured them
    // dearer (tanh at 2^-12 on ice40: 265 LUT4 against 253), without one cheaper (411 against
    // 433 on ice40-hx).
    if (spec.shareSlopes === undefined && design.select.kind === "uniform" && !TARGETS[spec.target].dsp)
      push({ shareSlopes: !a.shareSlopes });
    // Shift-add slopes (the search's second phase): 1 to SEARCHED_DIGITS digits from a
    // multiplier, one digit more or fewer (or the multiplier) from shift-add.
    if (this.digits) {
      const d = a.slopeDigits;
      if (d === undefined)
        for (let digits = 1; digits <= SEARCHED_DIGITS; digits++) push({ slopeDigits: digits });
      else {
        push({ slopeDigits: undefined });
        if (d > 1) push({ slopeDigits: d - 1 });
        if (d < SEARCHED_DIGITS) push({ slopeDigits: d + 1 });
      }
    }
    return out;
  }

  /** The designs built so far (screened, or exact when recorded as such), by key. */
  private candidates(): [string, Built][] {
    return [...this.built.entries()].filter(
      (entry): entry is [string, Built] => entry[1] !== undefined && !entry[0].endsWith("|exact"),
    );
  }

  finish(
    method: "auto" | "optimal",
    optimalSegments: number,
  ): {
    channel: PwlChannel;
    provenance: TableProvenance;
    choice: Choice;
  } {
    const spec = this.spec;
    const all = this.candidates();
    // With a pipeline the clock matters: no candidate deeper than the classic uniform design.
    const uniformDepth = all.find(([key]) => this.classicKeys.has(key))?.[1].candidate.estimate.depth;
    const eligible = all.filter(
      ([, b]) =>
        this.context.pipeline === 0 ||
        uniformDepth === undefined ||
        b.candidate.estimate.depth <= uniformDepth,
    );
    const ranked = (eligible.length > 0 ? eligible : all)
      .map(([key, b]) => ({ key, b }))
      .sort((x, y) => compare(x.b, y.b));
    // The cheapest few, and the cheapest comparator tree (screened without its breakpoint
    // placement, which only lowers its cost), rebuilt exactly on every code; the cheapest
    // of those is the table.
    const finalists = ranked.slice(0, FINALISTS);
    const tree = ranked.find((r) => r.b.channel.select.kind === "tree");
    if (tree && !finalists.includes(tree)) finalists.push(tree);
    // The classic optimal table is built on every code already (no rebuild): it competes
    // too, so that screened candidates, whose estimates on a sample run low, cannot crowd
    // out a design whose exact estimate beats theirs once they are rebuilt.
    const classicTree = ranked.find((r) => r.key === this.classicTree);
    if (classicTree && !finalists.includes(classicTree)) finalists.push(classicTree);
    // --select-by yosys: the classic uniform design is a finalist too, so that the unit is
    // never dearer, as Yosys measures, than the classic optimal or uniform design.
    const measure = spec.selectBy === "yosys" ? this.context.measure : undefined;
    if (measure) {
      for (const r of ranked) if (this.classicKeys.has(r.key) && !finalists.includes(r)) finalists.push(r);
    }
    const rebuilt = finalists
      .map((r) => ({ key: r.key, b: this.exact(this.designOf(r.key)) }))
      .filter((r): r is { key: string; b: Built } => r.b !== undefined)
      .filter(
        (r) =>
          this.context.pipeline === 0 ||
          uniformDepth === undefined ||
          r.b.candidate.estimate.depth <= uniformDepth,
      )
      .map((r) => (measure ? { key: r.key, b: this.measured(r.b, measure) } : r))
      .sort((x, y) => compare(x.b, y.b));
    // Every finalist may be too deep for the pipeline (or fail on some code): then the
    // classic optimal table, built on every code first, is the unit. A screened candidate
    // (built on a sample) never is.
    const fallback = this.classicTree !== undefined ? this.built.get(`${this.classicTree}|exact`) : undefined;
    if (rebuilt.length === 0 && fallback) rebuilt.push({ key: this.classicTree!, b: fallback });
    if (rebuilt.length === 0 || rebuilt[0]!.b.candidate.screened) {
      throw new Error("internal: no candidate built on every code to choose");
    }
    const winnerKey = rebuilt[0]!.key;
    const winner = rebuilt[0]!.b;
    const exactKeys = new Set(rebuilt.map((r) => r.key));
    const candidates = [
      ...rebuilt.map((r) => r.b.candidate),
      ...ranked.filter((r) => r.key !== winnerKey && !exactKeys.has(r.key)).map((r) => r.b.candidate),
    ];
    const w = winner.candidate;
    const next = candidates[1];
    const measuredReason =
      w.measured &&
      `${w.measured.lut} LUTs, ${w.measured.dsp} DSP and ${w.measured.bram} BRAM measured by Yosys on ${spec.target}` +
        (next?.measured
          ? `, against ${next.measured.lut} LUTs for the next best (${next.method}, ${next.architecture})`
          : "") +
        ` among ${counted(rebuilt.length, "finalist")} synthesized (of ${counted(candidates.length, "candidate")} built)`;
    const reason = measuredReason
      ? method === "optimal"
        ? `the fewest segments (${optimalSegments}); ${measuredReason}`
        : measuredReason
      : method === "optimal"
        ? `the fewest segments (${optimalSegments}); ${w.architecture} is the cheapest of ${counted(candidates.length, "architecture")} with that count (${w.estimate.lut} LUTs estimated on ${spec.target})`
        : `${w.estimate.lut} LUTs and ${w.estimate.dsp} DSP${w.estimate.bram ? ` and ${w.estimate.bram} BRAM` : ""} estimated on ${spec.target}` +
          (next
            ? `, against ${next.estimate.lut} LUTs for the next best (${next.method}, ${next.architecture})`
            : "") +
          ` among ${counted(candidates.length, "candidate")} built`;
    return {
      channel: winner.channel,
      provenance: {
        ...winner.provenance,
        method: w.method,
        // What folding saves is shown against the classic unfolded optimal table, a fair
        // comparison only for an optimal (fewest segments) winner.
        ...(this.unfolded && winner.channel.fold.kind !== "none" && w.method === "optimal"
          ? { unfolded: this.unfolded }
          : {}),
      },
      choice: {
        method,
        target: spec.target,
        candidates,
        optimalSegments,
        ...(spec.slopeDigits !== undefined ? { optimalSlopeDigits: spec.slopeDigits } : {}),
        reason,
      },
    };
  }

  /**
   * A screened design rebuilt on every code. An index bit count found on a sample may be
   * one or two too few for every code: the next counts are tried.
   */
  private exact(design: Design): Built | undefined {
    const select = design.select;
    if (select.kind === "tree" || select.indexBits === undefined || this.spec.indexBits !== undefined) {
      return this.evaluate(design, true);
    }
    for (let k = select.indexBits; k <= select.indexBits + 2; k++) {
      const built = this.evaluate({ ...design, select: { kind: select.kind, indexBits: k } }, true);
      if (built) return built;
    }
    return undefined;
  }

  /** A finalist with what Yosys makes of it (once per design). */
  private measured(built: Built, measure: NonNullable<TableContext["measure"]>): Built {
    if (built.candidate.measured) return built;
    const counts = measure(this.alone(built.channel), this.spec.target);
    const { lut, carry, dsp, bram, ff } = counts;
    return { ...built, candidate: { ...built.candidate, measured: { lut, carry, dsp, bram, ff } } };
  }

  /** The design a key names (keys are built by key()). */
  private designOf(key: string): Design {
    const [fold, inputShift, outputShift, select, digits] = key.split("|") as [
      string,
      string,
      string,
      string,
      string,
    ];
    const folded = fold !== "none";
    // The select's suffixes (see key): "o" local offsets, then "s" shared slopes.
    const shareSlopes = select.endsWith("s");
    const unshared = shareSlopes ? select.slice(0, -1) : select;
    const offset = unshared.endsWith("o");
    const bare = offset ? unshared.slice(0, -1) : unshared;
    const kind = bare.startsWith("uniform") ? "uniform" : bare.startsWith("grid") ? "grid" : "tree";
    const bits = bare.slice(kind.length);
    return {
      folded,
      architecture: {
        foldStyle: folded ? (fold as FoldStyle) : "twos",
        inputShift: Number(inputShift),
        outputShift: Number(outputShift),
        offset,
        slopeDigits: digits === "mul" ? undefined : Number(digits),
        shareSlopes,
      },
      select: kind === "tree" ? { kind } : { kind, indexBits: bits === "" ? undefined : Number(bits) },
    };
  }
}

/** The score Yosys's counts give (as the estimate's: a DSP or block RAM counts SCARCE LUTs). */
function measuredScore(m: Measured): number {
  return m.lut + SCARCE * (m.dsp + m.bram);
}

function better(a: Built, b: Built): boolean {
  return compare(a, b) < 0;
}

/** Cheaper first; then shallower, fewer segments, fewer ROM bits, and a stable order by name. */
function compare(a: Built, b: Built): number {
  const x = a.candidate;
  const y = b.candidate;
  const name = (c: Candidate): string => `${c.method} ${c.architecture}`;
  const measured = x.measured && y.measured ? measuredScore(x.measured) - measuredScore(y.measured) : 0;
  return (
    measured ||
    x.estimate.score - y.estimate.score ||
    x.estimate.depth - y.estimate.depth ||
    x.segments - y.segments ||
    x.romBits - y.romBits ||
    (name(x) < name(y) ? -1 : name(x) > name(y) ? 1 : 0)
  );
}

function range(max: number): number[] {
  return Array.from({ length: max + 1 }, (_, i) => i);
}
