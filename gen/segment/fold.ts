import { type FixFormat, type Overflow, maxCode, minCode, width } from "../fixed/format.js";
import type { Targets } from "./targets.js";

/**
 * Folding by symmetry: the hardware evaluates its table at a magnitude of x and unfolds
 * the result for negative x: odd y = -y(t), even y = y(t), point y = C - y(t) (C the
 * output code of the symmetry's value, e.g. 1.0 for sigmoid).
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
export type FoldKind = "none" | "odd" | "even" | "point";
export const FOLD_STYLES = ["twos", "ones"] as const;
export type FoldStyle = (typeof FOLD_STYLES)[number];

export interface Fold {
  readonly kind: FoldKind;
  /** For point folds: the output code C in y(-x) = C - y(x). */
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

/** The unfolded output for a negative input, from the table's output y (exact integers). */
export function unfold(fold: Fold, y: number): number {
  const base = unfoldBase(fold);
  return base === undefined ? y : base - y;
}

/** The fold a derivative inherits: odd and point functions have even derivatives, even ones odd. */
export function derivativeFold(kind: FoldKind): FoldKind {
  if (kind === "odd" || kind === "point") return "even";
  if (kind === "even") return "odd";
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
  const { first, last } = tableDomain(mapping, input);
  const n = last - first + 1;
  const yMin = minCode(output);
  const yMax = maxCode(output);
  const lo = new Float64Array(n).fill(yMin);
  const hi = new Float64Array(n).fill(yMax);
  const base = unfoldBase(mapping.fold);
  const xMin = minCode(input);
  const count = full.low.length;
  for (let i = 0; i < count; i++) {
    const x = xMin + i;
    const t = tableCodeOf(mapping, x) - first;
    // Open ends mean "the saturated value is fine": as exact codes, the range's limits.
    const low = Math.max(full.low[i]!, yMin);
    const high = Math.min(full.high[i]!, yMax);
    if (x < 0 && base !== undefined) {
      lo[t] = Math.max(lo[t]!, base - high);
      hi[t] = Math.min(hi[t]!, base - low);
    } else {
      lo[t] = Math.max(lo[t]!, low);
      hi[t] = Math.min(hi[t]!, high);
    }
  }
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

/** The output format of a table whose results are multiples of 2^shift (its coarse codes). */
export function coarseFormat(format: FixFormat, shift: number): FixFormat {
  return { signed: format.signed, intBits: format.intBits, fracBits: format.fracBits - shift };
}
