import { type FixFormat, type Overflow, maxCode, minCode, width } from "../fixed/format.js";
import type { Targets } from "./targets.js";

/**
 * Folding by symmetry: the hardware evaluates the table at t = |x| and unfolds the result
 * for negative x: odd y = -y(t), even y = y(t), point y = C - y(t) (C the output code of
 * the symmetry's value, e.g. 1.0 for sigmoid). The table then covers the magnitudes
 * t = 0 .. 2^(w-1), the last reached only by the most negative input.
 */
export type FoldKind = "none" | "odd" | "even" | "point";

export interface Fold {
  readonly kind: FoldKind;
  /** For point folds: the output code C in y(-x) = C - y(x). */
  readonly constant: number;
}

export const NO_FOLD: Fold = { kind: "none", constant: 0 };

/** The unfolded output for a negative input, from the table's output y (exact integers). */
export function unfold(fold: Fold, y: number): number {
  if (fold.kind === "odd") return -y;
  if (fold.kind === "point") return fold.constant - y;
  return y;
}

/** The fold a derivative inherits: odd and point functions have even derivatives, even ones odd. */
export function derivativeFold(kind: FoldKind): FoldKind {
  if (kind === "odd" || kind === "point") return "even";
  if (kind === "even") return "odd";
  return "none";
}

/** Number of table entries for a folded w-bit signed input: magnitudes 0 .. 2^(w-1). */
export function foldedCodeCount(input: FixFormat): number {
  return 2 ** (width(input) - 1) + 1;
}

/**
 * Targets for the folded table: at magnitude t the table's output must meet the bound at
 * +t directly and at -t after unfolding, so the two intervals are intersected. That makes
 * the bound hold on every input code by construction, whether or not f is exactly
 * symmetric in double precision; a function that is not symmetric at all ends up with an
 * empty intersection, reported as the index where it happens.
 */
export function foldTargets(
  full: Targets,
  input: FixFormat,
  output: FixFormat,
  fold: Fold,
  overflow: Overflow,
): { ok: true; targets: Targets } | { ok: false; index: number } {
  const saturate = overflow === "saturate";
  const n = foldedCodeCount(input);
  const xMin = minCode(input);
  const xMax = maxCode(input);
  const yMin = minCode(output);
  const yMax = maxCode(output);
  const low = new Float64Array(n);
  const high = new Float64Array(n);
  for (let t = 0; t < n; t++) {
    let lo = -Infinity;
    let hi = Infinity;
    if (t <= xMax) {
      lo = full.low[t - xMin]!;
      hi = full.high[t - xMin]!;
    }
    if (t > 0) {
      const mirrorLo = full.low[-t - xMin]!;
      const mirrorHi = full.high[-t - xMin]!;
      if (fold.kind === "even") {
        lo = Math.max(lo, mirrorLo);
        hi = Math.min(hi, mirrorHi);
      } else {
        // Unfolding maps the table's output through -y or C - y. Intersect as exact codes,
        // then re-open an end only where the saturated value is acceptable on both sides.
        const base = fold.kind === "odd" ? 0 : fold.constant;
        lo = Math.max(lo, base - Math.min(mirrorHi, yMax));
        hi = Math.min(hi, base - Math.max(mirrorLo, yMin));
        if (saturate && lo <= yMin && hi >= yMin) lo = -Infinity;
        else lo = Math.max(lo, yMin);
        if (saturate && hi >= yMax && lo <= yMax) hi = Infinity;
        else hi = Math.min(hi, yMax);
      }
    }
    if (lo > hi) return { ok: false, index: t };
    low[t] = lo;
    high[t] = hi;
  }
  return { ok: true, targets: { low, high } };
}
