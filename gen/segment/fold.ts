import { type FixFormat, type Overflow, maxCode, minCode, width } from "../fixed/format.js";
import type { Targets } from "./targets.js";

/**
 * Folding by symmetry: the hardware evaluates its table at a magnitude of x and unfolds
 * the result for negative x: odd y = -y(t), even y = y(t), point y = C - y(t) (C the
 * output code of the symmetry's value, e.g. 1.0 for sigmoid), ramp y = y(t) + c * x for
 * functions with f(x) = f(-x) + x (x/2 plus an even function: gelu, silu, softplus; c the
 * output codes of one input code, 2^(output fraction bits - input fraction bits)).
 *
 * Two styles. `twos` folds with the two's complement magnitude t = |x| (a negation: an
 * adder) and unfolds with -y or C - y (another adder); its table covers t = 0 .. 2^(w-1),
 * the last reached only by the most negative input. `ones` folds with the one's
 * complement t = x ^ sign (t = -x - 1 for negative x: one XOR per bit, no carry chain)
 * and unfolds with ~y = -y - 1 or C - 1 - y (an XOR too when C is a power of two); its
 * table covers t = 0 .. 2^(w-1) - 1 exactly. Either way the table's targets at t are the
 * intersection of what the codes it serves accept (see tableTargets), so the bound holds
 * on every code by construction.
 */
export type FoldKind = "none" | "odd" | "even" | "point" | "ramp";
export const FOLD_STYLES = ["twos", "ones"] as const;
export type FoldStyle = (typeof FOLD_STYLES)[number];

export interface Fold {
  readonly kind: FoldKind;
  /**
   * For point folds: the output code C in y(-x) = C - y(x). For ramp folds: c, the output
   * codes per input code (a power of two >= 1) in y(x) = y(-x) + c * x.
   */
  readonly constant: number;
  readonly style: FoldStyle;
}

export const NO_FOLD: Fold = { kind: "none", constant: 0, style: "twos" };

/**
 * What the unfolding adds for a negative input: u = base - y for odd and point folds (the
 * hardware's -y, C - y, ~y or C - 1 - y), undefined for folds that do not change y.
 */
export function unfoldBase(fold: Fold): number | undefined {
  if (fold.kind !== "odd" && fold.kind !== "point") return undefined;
  return (fold.kind === "point" ? fold.constant : 0) - (fold.style === "ones" ? 1 : 0);
}

/** A ramp fold's c: a power of two >= 1 (the output grid is at least as fine as the input's). */
export function isRampConstant(c: number): boolean {
  return Number.isInteger(c) && c >= 1 && Number.isInteger(Math.log2(c));
}

/**
 * A ramp fold's shift r (c = 2^r) when its term c * x is not 0 modulo 2^outWidth (the
 * hardware adds {x, r zeros} to y for negative x), else undefined (nothing to add).
 */
export function rampShift(fold: Fold, outWidth: number): number | undefined {
  if (fold.kind !== "ramp") return undefined;
  const r = Math.log2(fold.constant);
  return r < outWidth ? r : undefined;
}

/** What a ramp fold adds to the table's output for a negative input code x: c * x (else 0). */
export function rampTerm(fold: Fold, x: number): number {
  return fold.kind === "ramp" && x < 0 ? fold.constant * x : 0;
}

/**
 * The unfolded output for a negative input code x, from the table's output y (exact
 * integers, before wrapping to the output's width).
 */
export function unfold(fold: Fold, y: number, x: number): number {
  const base = unfoldBase(fold);
  return base === undefined ? y + rampTerm(fold, x) : base - y;
}

/**
 * The fold a derivative inherits: odd and point functions have even derivatives, even ones
 * odd, and ramp ones (f(x) = f(-x) + x) point-symmetric ones (f'(-x) = 1 - f'(x)).
 */
export function derivativeFold(kind: FoldKind): FoldKind {
  if (kind === "odd" || kind === "point") return "even";
  if (kind === "even") return "odd";
  if (kind === "ramp") return "point";
  return "none";
}

/** The magnitude the hardware folds x to (x itself without folding). */
export function foldInput(fold: Fold, x: number): number {
  if (fold.kind === "none" || x >= 0) return x;
  return fold.style === "ones" ? -x - 1 : -x;
}

/**
 * A table's input: x folded, then with its `shift` low bits dropped (t = floor(u / 2^d)),
 * so that codes differing only there share one table code.
 */
export interface TableMapping {
  readonly fold: Fold;
  readonly shift: number;
}

/** The table code the hardware computes for input code x. */
export function tableCodeOf(mapping: TableMapping, x: number): number {
  return Math.floor(foldInput(mapping.fold, x) / 2 ** mapping.shift);
}

/** The first and last table codes for an input format. */
export function tableDomain(mapping: TableMapping, input: FixFormat): { first: number; last: number } {
  if (mapping.fold.kind === "none") {
    return { first: tableCodeOf(mapping, minCode(input)), last: tableCodeOf(mapping, maxCode(input)) };
  }
  const top = mapping.fold.style === "ones" ? 2 ** (width(input) - 1) - 1 : 2 ** (width(input) - 1);
  return { first: 0, last: Math.floor(top / 2 ** mapping.shift) };
}

/** Number of table entries for a folded w-bit signed input with two's complement magnitudes: 0 .. 2^(w-1). */
export function foldedCodeCount(input: FixFormat): number {
  return 2 ** (width(input) - 1) + 1;
}

/**
 * Targets for the table, in the codes of its (possibly coarser) output grid: the table's
 * result y, a multiple of 2^outputShift, must lie in the target of every input code it
 * serves, directly for x >= 0 (or without folding) and after unfolding for x < 0. The
 * intervals are intersected as exact codes; an end is open (any larger excursion of the
 * accumulator is fine) only where the value saturation clamps to is itself acceptable.
 * Returns the first table code whose intersection is empty when there is one.
 */
export function tableTargets(
  full: Targets,
  input: FixFormat,
  output: FixFormat,
  mapping: TableMapping,
  outputShift: number,
  overflow: Overflow,
): { ok: true; targets: Targets; first: number } | { ok: false; index: number } {
  const { lo, hi, first } = intersection(full, input, output, mapping);
  const n = lo.length;
  const yMin = minCode(output);
  const yMax = maxCode(output);
  // The coarse grid: y = q * 2^d, with q clamped (when saturating) to the coarse range.
  const scale = 2 ** outputShift;
  const qMin = Math.ceil(yMin / scale);
  const qMax = Math.floor(yMax / scale);
  const saturate = overflow === "saturate";
  const low = new Float64Array(n);
  const high = new Float64Array(n);
  for (let t = 0; t < n; t++) {
    const qLo = Math.ceil(lo[t]! / scale);
    const qHi = Math.floor(hi[t]! / scale);
    if (qLo > qHi) return { ok: false, index: t };
    low[t] = saturate && qLo <= qMin ? -Infinity : qLo;
    high[t] = saturate && qHi >= qMax ? Infinity : qHi;
  }
  return { ok: true, targets: { low, high }, first };
}

/** The intersections of a few recent mappings per full-range targets (a search asks for the same ones again). */
const intersections = new WeakMap<Targets, Map<string, Intersection>>();
const KEPT_INTERSECTIONS = 8;

interface Intersection {
  readonly lo: Float64Array;
  readonly hi: Float64Array;
  readonly first: number;
}

/**
 * The exact intersection, per table code, of what the input codes it serves accept (in
 * output codes, before any coarser grid): directly for x >= 0 (or without folding), after
 * unfolding for x < 0. Ends open because saturation is acceptable are the range's limits.
 */
function intersection(
  full: Targets,
  input: FixFormat,
  output: FixFormat,
  mapping: TableMapping,
): Intersection {
  const fold = mapping.fold;
  const key = [formatKey(input), formatKey(output), fold.kind, fold.constant, fold.style, mapping.shift].join(
    "|",
  );
  let cache = intersections.get(full);
  const hit = cache?.get(key);
  if (hit) return hit;
  const { first, last } = tableDomain(mapping, input);
  const n = last - first + 1;
  const yMin = minCode(output);
  const yMax = maxCode(output);
  const lo = new Float64Array(n).fill(yMin);
  const hi = new Float64Array(n).fill(yMax);
  // For a negative x the output is unfold(y) = base - y (odd, point) or y + c * x (ramp, and
  // even with c * x = 0): the table's y must be the code's target mapped back through it.
  const base = unfoldBase(fold);
  const folded = fold.kind !== "none";
  const divisor = 2 ** mapping.shift;
  const xMin = minCode(input);
  const count = full.low.length;
  for (let i = 0; i < count; i++) {
    const x = xMin + i;
    const t = Math.floor(foldInput(fold, x) / divisor) - first;
    // Open ends mean "the saturated value is fine": as exact codes, the range's limits.
    const low = Math.max(full.low[i]!, yMin);
    const high = Math.min(full.high[i]!, yMax);
    if (folded && x < 0 && base !== undefined) {
      lo[t] = Math.max(lo[t]!, base - high);
      hi[t] = Math.min(hi[t]!, base - low);
    } else {
      const offset = folded ? rampTerm(fold, x) : 0;
      lo[t] = Math.max(lo[t]!, low - offset);
      hi[t] = Math.min(hi[t]!, high - offset);
    }
  }
  const result = { lo, hi, first };
  if (!cache) {
    cache = new Map();
    intersections.set(full, cache);
  }
  if (cache.size >= KEPT_INTERSECTIONS) cache.delete(cache.keys().next().value!);
  cache.set(key, result);
  return result;
}

function formatKey(format: FixFormat): string {
  return `${format.signed ? "s" : "u"}${format.intBits}.${format.fracBits}`;
}

/** The output format of a table whose results are multiples of 2^shift (its coarse codes). */
export function coarseFormat(format: FixFormat, shift: number): FixFormat {
  return { signed: format.signed, intBits: format.intBits, fracBits: format.fracBits - shift };
}
