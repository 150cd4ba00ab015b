import type { Coefficients } from "./coefficients.js";
import type { Features } from "./features.js";

/**
 * The arithmetic of calibrating the cost model (scripts/cost-corpus.ts) and of checking it
 * (test/unit/cost.test.ts, the bench): non-negative least squares, rank correlation and
 * error statistics. Plain doubles; the systems are small (a few hundred designs, a dozen
 * features).
 */

/**
 * Non-negative least squares, min |A w - b| subject to w >= 0 (Lawson and Hanson's active
 * set method, "Solving Least Squares Problems", 1974, ch. 23). A weight that no design
 * needs (a feature the others explain) stays exactly 0 rather than going negative, which
 * keeps every feature's cost a cost.
 */
export function nnls(a: readonly (readonly number[])[], b: readonly number[]): number[] {
  const rows = a.length;
  const cols = a[0]?.length ?? 0;
  const w = new Array<number>(cols).fill(0);
  const passive = new Array<boolean>(cols).fill(false);
  const tolerance = 1e-10 * Math.max(1, ...b.map(Math.abs));
  const gradient = (): number[] => {
    const residual = b.map((value, i) => value - dot(a[i]!, w));
    return Array.from({ length: cols }, (_, j) => {
      let sum = 0;
      for (let i = 0; i < rows; i++) sum += a[i]![j]! * residual[i]!;
      return sum;
    });
  };
  for (let outer = 0; outer < 10 * cols + 10; outer++) {
    const g = gradient();
    let best = -1;
    for (let j = 0; j < cols; j++)
      if (!passive[j] && g[j]! > tolerance && (best < 0 || g[j]! > g[best]!)) best = j;
    if (best < 0) break;
    passive[best] = true;
    for (let inner = 0; inner < 10 * cols + 10; inner++) {
      const z = leastSquares(a, b, passive);
      if (passive.every((p, j) => !p || z[j]! > 0)) {
        for (let j = 0; j < cols; j++) w[j] = passive[j] ? z[j]! : 0;
        break;
      }
      // Step towards z until the first passive weight reaches 0, and drop it.
      let alpha = 1;
      for (let j = 0; j < cols; j++) {
        if (passive[j] && z[j]! <= 0) alpha = Math.min(alpha, w[j]! / (w[j]! - z[j]!));
      }
      for (let j = 0; j < cols; j++) {
        w[j] = w[j]! + alpha * ((passive[j] ? z[j]! : 0) - w[j]!);
        if (passive[j] && w[j]! <= 1e-12) {
          passive[j] = false;
          w[j] = 0;
        }
      }
    }
  }
  return w;
}

/** Unconstrained least squares over the columns marked, by the normal equations (0 elsewhere). */
function leastSquares(
  a: readonly (readonly number[])[],
  b: readonly number[],
  use: readonly boolean[],
): number[] {
  const index = use.flatMap((u, j) => (u ? [j] : []));
  const n = index.length;
  const m = Array.from({ length: n }, () => new Array<number>(n + 1).fill(0));
  for (let r = 0; r < a.length; r++) {
    const row = a[r]!;
    for (let i = 0; i < n; i++) {
      const x = row[index[i]!]!;
      if (x === 0) continue;
      for (let k = 0; k < n; k++) m[i]![k]! += x * row[index[k]!]!;
      m[i]![n]! += x * b[r]!;
    }
  }
  // A tiny ridge keeps collinear features (two counts that move together) solvable.
  for (let i = 0; i < n; i++) m[i]![i]! += 1e-9 * (m[i]![i]! + 1);
  const x = solve(m);
  const out = new Array<number>(use.length).fill(0);
  index.forEach((j, i) => (out[j] = x[i]!));
  return out;
}

/** Gaussian elimination with partial pivoting on an augmented n x (n + 1) matrix. */
function solve(m: number[][]): number[] {
  const n = m.length;
  for (let c = 0; c < n; c++) {
    let pivot = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r]![c]!) > Math.abs(m[pivot]![c]!)) pivot = r;
    [m[c], m[pivot]] = [m[pivot]!, m[c]!];
    const p = m[c]![c]!;
    if (p === 0) continue;
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = m[r]![c]! / p;
      if (f === 0) continue;
      for (let k = c; k <= n; k++) m[r]![k]! -= f * m[c]![k]!;
    }
  }
  return m.map((row, i) => (row[i] === 0 ? 0 : row[n]! / row[i]!));
}

function dot(x: readonly number[], y: readonly number[]): number {
  let sum = 0;
  for (let i = 0; i < x.length; i++) sum += x[i]! * y[i]!;
  return sum;
}

/** Spearman's rank correlation: Pearson's correlation of the ranks (ties get their mean rank). */
export function spearman(x: readonly number[], y: readonly number[]): number {
  return pearson(ranks(x), ranks(y));
}

function ranks(values: readonly number[]): number[] {
  const order = values.map((v, i) => ({ v, i })).sort((p, q) => p.v - q.v);
  const out = new Array<number>(values.length);
  for (let start = 0; start < order.length;) {
    let end = start;
    while (end + 1 < order.length && order[end + 1]!.v === order[start]!.v) end++;
    for (let k = start; k <= end; k++) out[order[k]!.i] = (start + end) / 2 + 1;
    start = end + 1;
  }
  return out;
}

function pearson(x: readonly number[], y: readonly number[]): number {
  const n = x.length;
  const mx = x.reduce((s, v) => s + v, 0) / n;
  const my = y.reduce((s, v) => s + v, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (x[i]! - mx) * (y[i]! - my);
    sxx += (x[i]! - mx) ** 2;
    syy += (y[i]! - my) ** 2;
  }
  return sxx === 0 || syy === 0 ? 0 : sxy / Math.sqrt(sxx * syy);
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((p, q) => p - q);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** |estimate - actual| / actual, with an actual of 0 counted against 1 (an estimate of 0 is exact). */
export function relativeError(estimate: number, actual: number): number {
  return Math.abs(estimate - actual) / Math.max(1, actual);
}

/** How well estimates match measurements: what the calibration criteria read. */
export interface Accuracy {
  readonly designs: number;
  readonly spearman: number;
  readonly medianRelativeError: number;
  /** The 90th percentile of the relative error. */
  readonly p90RelativeError: number;
  /** Sum of the estimates over the sum of the measurements. */
  readonly totalRatio: number;
  /** Designs whose estimate equals the measurement exactly. */
  readonly exact: number;
}

export function accuracy(estimates: readonly number[], actual: readonly number[]): Accuracy {
  const errors = estimates.map((e, i) => relativeError(e, actual[i]!)).sort((p, q) => p - q);
  const sum = (values: readonly number[]): number => values.reduce((s, v) => s + v, 0);
  return {
    designs: estimates.length,
    spearman: spearman(estimates, actual),
    medianRelativeError: median(errors),
    p90RelativeError: errors[Math.min(errors.length - 1, Math.floor(0.9 * errors.length))] ?? NaN,
    totalRatio: sum(actual) === 0 ? (sum(estimates) === 0 ? 1 : Infinity) : sum(estimates) / sum(actual),
    exact: estimates.filter((e, i) => e === actual[i]).length,
  };
}

/**
 * Weights for `constant + sum of weight x feature` fitted to measured LUT counts by
 * non-negative least squares on relative residuals ((estimate - actual) / actual, with
 * actual counted as at least RELATIVE_FLOOR): the calibration criteria are relative, and
 * without it the largest designs would decide every weight.
 */
export function fitCoefficients(
  features: readonly Features[],
  luts: readonly number[],
  names: readonly (keyof Features)[],
): Coefficients {
  const scale = luts.map((lut) => 1 / Math.max(RELATIVE_FLOOR, lut));
  const a = features.map((f, i) => [1, ...names.map((name) => f[name])].map((x) => x * scale[i]!));
  const b = luts.map((lut, i) => lut * scale[i]!);
  const w = nnls(a, b);
  const weights: Partial<Record<keyof Features, number>> = {};
  names.forEach((name, j) => {
    if (w[j + 1]! > 0) weights[name] = w[j + 1]!;
  });
  return { constant: w[0]!, weights };
}

/** Below this many LUTs, a design's residual counts as if it had this many. */
export const RELATIVE_FLOOR = 10;
