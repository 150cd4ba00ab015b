import { allowedSlopes, lowerBound } from "./digits.js";

/**
 * Exact feasibility of one segment, grown one input code at a time.
 *
 * A segment is feasible when some integer slope m and stored intercept C, inside their
 * formats' ranges, put the accumulator m*x + C*2^k inside every code's interval
 * [lo_x, hi_x] (the accumulator values that round to an acceptable output code, see
 * accInterval). Eliminating C (Fourier-Motzkin) leaves conditions on m alone:
 *
 *     lo_i - m*x_i <= hi_j - m*x_j   for every pair of codes i, j
 *     lo_i - m*x_i <= Cmax*2^k,  Cmin*2^k <= hi_j - m*x_j
 *
 * For a fixed m this says the intercept term must lie between G(m), the largest offset
 * lo_i - m*x_i (or Cmin*2^k), and H(m), the smallest hi_j - m*x_j (or Cmax*2^k). Only the
 * upper convex hull of the lower-bound points (x, lo) and the lower hull of the upper-bound
 * points (x, hi) matter for G and H; both are kept incrementally (Andrew's monotone chain,
 * codes arrive in increasing x) and queried by binary search. G is convex and H concave,
 * so the feasible integer slopes, where H(m) - G(m) >= 0, are an interval.
 *
 * A witness pair that fits every code so far is kept (the slope of most slack, with k = 0
 * the intercept in the middle of its range); a new code that the witness also fits costs
 * one multiply-add, its hull pushes deferred until the hulls are read. Otherwise the slack
 * H - G, including the new code, is maximised exactly over the integer slopes. With k = 0
 * any slope of non-negative slack has an integer C (G and H are integers), so the test is
 * exact; with k > 0 the feasible slopes are searched for a C that is a multiple of 2^k, so
 * it stays exact.
 *
 * All arithmetic is on integers below 2^53 (see datapathProblem); hull orientation tests,
 * whose products can exceed that, split their factors (see orient).
 */
export interface FitLimits {
  readonly slopeMin: number;
  readonly slopeMax: number;
  readonly interceptMin: number;
  readonly interceptMax: number;
  /** k: stored intercepts are multiplied by 2^k. */
  readonly interceptShift: number;
  /** --slope-digits: only slopes with at most this many signed power-of-two digits (digits.ts). */
  readonly slopeDigits?: number | undefined;
}

/** A code's constraint on the line, in accumulator units: lo <= m*x + C*2^k <= hi. */
export interface BindingCode {
  readonly x: number;
  readonly lo: number;
  readonly hi: number;
}

export class LineFitter {
  // Upper hull of the lower-bound points (x, lo) and lower hull of the upper-bound points
  // (x, hi), as stacks in growable typed arrays.
  private readonly lower = new Hull(1);
  private readonly upper = new Hull(-1);
  private step = 1;
  private cMinAcc = 0;
  private cMaxAcc = 0;
  private slopeMin = 0;
  private slopeMax = 0;
  /** A pair that satisfies every code added so far (C a multiple of 2^k). */
  private witnessM = 0;
  private witnessC = 0;
  /** The slopes allowed (--slope-digits), ascending; undefined: every integer in range. */
  private allowed: Float64Array | undefined;
  /**
   * Codes added while the witness fitted them, not yet pushed onto the hulls: most codes
   * of a long segment never need the hulls, which are built only when read (flush).
   */
  private pending = new Float64Array(3 * 64);
  private pendingCount = 0;
  /** Number of codes in the current segment. */
  size = 0;

  reset(limits: FitLimits): void {
    this.lower.clear();
    this.upper.clear();
    this.step = 2 ** limits.interceptShift;
    this.cMinAcc = limits.interceptMin * this.step;
    this.cMaxAcc = limits.interceptMax * this.step;
    this.slopeMin = limits.slopeMin;
    this.slopeMax = limits.slopeMax;
    this.allowed =
      limits.slopeDigits === undefined
        ? undefined
        : allowedSlopes(limits.slopeDigits, limits.slopeMin, limits.slopeMax);
    this.witnessM = Math.max(limits.slopeMin, Math.min(0, limits.slopeMax));
    this.witnessC = limits.interceptMin;
    this.pendingCount = 0;
    this.size = 0;
  }

  /** Makes this fitter a copy of `other` (its limits, codes and witness). */
  copyFrom(other: LineFitter): void {
    other.flush();
    this.pendingCount = 0;
    this.lower.copyFrom(other.lower);
    this.upper.copyFrom(other.upper);
    this.step = other.step;
    this.cMinAcc = other.cMinAcc;
    this.cMaxAcc = other.cMaxAcc;
    this.slopeMin = other.slopeMin;
    this.slopeMax = other.slopeMax;
    this.allowed = other.allowed;
    this.witnessM = other.witnessM;
    this.witnessC = other.witnessC;
    this.size = other.size;
  }

  /**
   * Adds the next code (larger x than all before); false, with no change, if infeasible.
   * Most codes only check the witness line and wait to be pushed onto the hulls (flush);
   * when the witness misses the new code, the feasible slopes are searched exactly (see
   * findWitness).
   */
  tryAdd(x: number, lo: number, hi: number): boolean {
    if (lo > hi) return false;
    const acc = this.witnessM * x + this.witnessC * this.step;
    if (this.size === 0 || acc < lo || acc > hi) {
      this.flush();
      if (!this.findWitness(x, lo, hi)) return false;
    }
    const at = 3 * this.pendingCount;
    if (at === this.pending.length) {
      const grown = new Float64Array(2 * at);
      grown.set(this.pending);
      this.pending = grown;
    }
    this.pending[at] = x;
    this.pending[at + 1] = lo;
    this.pending[at + 2] = hi;
    this.pendingCount++;
    this.size++;
    return true;
  }

  /** Pushes the pending codes onto the hulls, in the order they were added. */
  private flush(): void {
    const pending = this.pending;
    for (let i = 0; i < 3 * this.pendingCount; i += 3) {
      const x = pending[i]!;
      const lo = pending[i + 1]!;
      const hi = pending[i + 2]!;
      if (lo !== -Infinity) this.lower.push(x, lo);
      if (hi !== Infinity) this.upper.push(x, hi);
    }
    this.pendingCount = 0;
  }

  /** The integer slopes that work for every code added so far: [mLo, mHi] (a non-empty interval). */
  slopeRange(): [number, number] {
    this.flush();
    const m = this.witnessM;
    const feasible = (v: number): boolean => this.slack(v, 0, -Infinity, Infinity) >= 0;
    return [this.edge(m, -1, this.slopeMin, feasible), this.edge(m, 1, this.slopeMax, feasible)];
  }

  /** The slopes --slope-digits allows (ascending), or undefined when every integer slope is. */
  allowedSlopes(): Float64Array | undefined {
    return this.allowed;
  }

  /** The stored intercepts that work with slope m for every code added so far. */
  interceptRange(m: number): [number, number] {
    this.flush();
    const low = Math.max(this.lower.maxOffset(m), this.cMinAcc);
    const high = Math.min(this.upper.minOffset(m), this.cMaxAcc);
    return [Math.ceil(low / this.step), Math.floor(high / this.step)];
  }

  /**
   * H(m) - G(m): how much room slope m leaves the intercept (in accumulator units), over
   * every code added so far and, if given, the code (x, lo, hi). G is the largest lower
   * bound on the intercept term (lower hull offsets, the new code, Cmin*2^k), H the smallest
   * upper bound. G is convex and H concave in m, so the slack is concave: the feasible
   * slopes (slack >= 0) form an interval.
   */
  private slack(m: number, x: number, lo: number, hi: number): number {
    return this.high(m, x, hi) - this.low(m, x, lo);
  }

  /** G(m): the largest lower bound on the intercept term, the new code (x, lo) included. */
  private low(m: number, x: number, lo: number): number {
    return Math.max(this.lower.maxOffset(m), lo - m * x, this.cMinAcc);
  }

  /** H(m): the smallest upper bound on the intercept term, the new code (x, hi) included. */
  private high(m: number, x: number, hi: number): number {
    return Math.min(this.upper.minOffset(m), hi - m * x, this.cMaxAcc);
  }

  /**
   * Finds a pair that also fits the new code (x, lo, hi), or proves none exists. The slack
   * is concave in m, so its maximum over the slope range is found by bisection on the sign
   * of slack(m+1) - slack(m); no pair exists if that maximum is negative. The witness is
   * the maximising slope (the most room, so it tends to fit many codes to come).
   *
   * With k > 0 the intercept term must also be a multiple of 2^k. Among the feasible
   * slopes [mLo, mHi], either the slopes are tried outward from the best one, or, when
   * there are fewer candidate multiples v than slopes, each v is tried: the slopes that
   * admit v are where the convex max(G(m) - v, v - H(m)) <= 0, found by bisection. Both
   * are exhaustive, and the shorter list is walked.
   */
  private findWitness(x: number, lo: number, hi: number): boolean {
    const best = this.argMin(this.slopeMin, this.slopeMax, (m) => -this.slack(m, x, lo, hi));
    if (this.slack(best, x, lo, hi) < 0) return false;
    if (this.step === 1 && !this.allowed) return this.tryWitness(best, x, lo, hi);
    const feasible = (m: number): boolean => this.slack(m, x, lo, hi) >= 0;
    const mLo = this.edge(best, -1, this.slopeMin, feasible);
    const mHi = this.edge(best, 1, this.slopeMax, feasible);
    if (this.allowed) return this.allowedWitness(this.allowed, best, mLo, mHi, x, lo, hi);
    const step = this.step;
    const gMin = this.low(
      this.argMin(mLo, mHi, (m) => this.low(m, x, lo)),
      x,
      lo,
    );
    const hMax = this.high(
      this.argMin(mLo, mHi, (m) => -this.high(m, x, hi)),
      x,
      hi,
    );
    const vLo = Math.ceil(gMin / step);
    const vHi = Math.floor(hMax / step);
    if (vHi - vLo < mHi - mLo) {
      const centre = Math.round((this.low(best, x, lo) + this.high(best, x, hi)) / 2 / step);
      const start = Math.max(vLo, Math.min(vHi, centre));
      for (let d = 0; start - d >= vLo || start + d <= vHi; d++) {
        for (const v of d === 0 ? [start] : [start - d, start + d]) {
          if (v < vLo || v > vHi) continue;
          const miss = (m: number): number =>
            Math.max(this.low(m, x, lo) - v * step, v * step - this.high(m, x, hi));
          const m = this.argMin(mLo, mHi, miss);
          if (miss(m) <= 0) {
            this.witnessM = m;
            this.witnessC = v;
            return true;
          }
        }
      }
      return false;
    }
    for (let d = 0; best - d >= mLo || best + d <= mHi; d++) {
      if (best - d >= mLo && this.tryWitness(best - d, x, lo, hi)) return true;
      if (d > 0 && best + d <= mHi && this.tryWitness(best + d, x, lo, hi)) return true;
    }
    return false;
  }

  /**
   * With --slope-digits: the allowed slopes in the feasible interval [mLo, mHi], outward
   * from the best slope, until one has an intercept (with k = 0 the first one does).
   * Exhaustive over the interval, so the test stays exact.
   */
  private allowedWitness(
    allowed: Float64Array,
    best: number,
    mLo: number,
    mHi: number,
    x: number,
    lo: number,
    hi: number,
  ): boolean {
    const first = lowerBound(allowed, mLo);
    const last = lowerBound(allowed, mHi + 1) - 1;
    if (first > last) return false;
    const start = Math.min(last, Math.max(first, lowerBound(allowed, best)));
    for (let d = 0; start - d >= first || start + d <= last; d++) {
      if (start - d >= first && this.tryWitness(allowed[start - d]!, x, lo, hi)) return true;
      if (d > 0 && start + d <= last && this.tryWitness(allowed[start + d]!, x, lo, hi)) return true;
    }
    return false;
  }

  /** The smallest integer m in [a, b] minimising a convex function (bisection on its slope). */
  private argMin(a: number, b: number, f: (m: number) => number): number {
    while (a < b) {
      const mid = a + Math.floor((b - a) / 2);
      if (f(mid + 1) < f(mid)) a = mid + 1;
      else b = mid;
    }
    return a;
  }

  /**
   * Whether slope m has an intercept for every code so far and (x, lo, hi); if so, it is
   * the witness. With k = 0 its intercept is the middle of those that fit (the most room
   * on both sides, so the codes to come miss it least often). With k > 0 it is the lowest:
   * least squares (lsq.ts) may fall back to the witness's slope there, and which slope
   * that is depends on where the codes missed, so it stays as it always was.
   */
  private tryWitness(m: number, x: number, lo: number, hi: number): boolean {
    const low = Math.ceil(this.low(m, x, lo) / this.step);
    const high = Math.floor(this.high(m, x, hi) / this.step);
    if (low > high) return false;
    this.witnessM = m;
    this.witnessC = this.step === 1 ? Math.floor((low + high) / 2) : low;
    return true;
  }

  /** The pair that fits every code added so far. */
  witness(): [slope: number, intercept: number] {
    return [this.witnessM, this.witnessC];
  }

  /**
   * The codes added so far that bind: the vertices of both hulls, as (x, lo, hi) in
   * increasing x, an end open (+-Infinity) where the code is a vertex of one hull only. For
   * any slope m the largest lo - m*x and the smallest hi - m*x over all the codes are taken
   * at these vertices, so adding them to a fitter (between codes of smaller and larger x)
   * constrains it exactly as adding every code would, at the cost of a few.
   */
  bindingCodes(): BindingCode[] {
    this.flush();
    const codes: BindingCode[] = [];
    let l = 0;
    let u = 0;
    while (l < this.lower.size || u < this.upper.size) {
      const xl = l < this.lower.size ? this.lower.x(l) : Infinity;
      const xu = u < this.upper.size ? this.upper.x(u) : Infinity;
      const x = Math.min(xl, xu);
      codes.push({
        x,
        lo: xl === x ? this.lower.y(l++) : -Infinity,
        hi: xu === x ? this.upper.y(u++) : Infinity,
      });
    }
    return codes;
  }

  /** The last slope from `from` (feasible) towards `limit` (direction +-1) that is feasible. */
  private edge(from: number, direction: 1 | -1, limit: number, feasible: (m: number) => boolean): number {
    if (from === limit || !feasible(from + direction)) return from;
    let good = from + direction;
    let stride = 2;
    let bad = limit + direction;
    for (;;) {
      const probe = from + direction * stride;
      if (direction * (probe - limit) > 0) {
        if (feasible(limit)) return limit;
        break;
      }
      if (!feasible(probe)) {
        bad = probe;
        break;
      }
      good = probe;
      stride *= 2;
    }
    while (Math.abs(bad - good) > 1) {
      const mid = good + direction * Math.floor(Math.abs(bad - good) / 2);
      if (feasible(mid)) good = mid;
      else bad = mid;
    }
    return good;
  }
}

/**
 * A convex chain of points with increasing x, kept by Andrew's monotone chain. side 1 keeps
 * the upper hull (for max of y - m*x), side -1 the lower hull (for min of y - m*x).
 */
class Hull {
  private xs = new Float64Array(64);
  private ys = new Float64Array(64);
  size = 0;

  constructor(private readonly side: 1 | -1) {}

  clear(): void {
    this.size = 0;
    this.finger = 0;
  }

  copyFrom(other: Hull): void {
    while (this.xs.length < other.size) this.grow();
    this.xs.set(other.xs.subarray(0, other.size));
    this.ys.set(other.ys.subarray(0, other.size));
    this.size = other.size;
    this.finger = other.finger;
  }

  push(x: number, y: number): void {
    const xs = this.xs;
    const ys = this.ys;
    let n = this.size;
    while (n >= 2 && this.side * orient(xs[n - 2]!, ys[n - 2]!, xs[n - 1]!, ys[n - 1]!, x, y) >= 0) n--;
    if (n === xs.length) this.grow();
    this.xs[n] = x;
    this.ys[n] = y;
    this.size = n + 1;
  }

  x(i: number): number {
    return this.xs[i]!;
  }

  y(i: number): number {
    return this.ys[i]!;
  }

  /** Where the last query ended: consecutive queries usually land on the same vertex. */
  private finger = 0;

  /** Index of the point maximising y - m*x (upper hull: edge slopes decrease). */
  argMax(m: number): number {
    const xs = this.xs;
    const ys = this.ys;
    const last = this.size - 1;
    const f = this.finger < last ? this.finger : last;
    // The finger is the answer when the edge before it rises faster than m and the edge after does not.
    if (
      (f === 0 || ys[f]! - ys[f - 1]! > m * (xs[f]! - xs[f - 1]!)) &&
      (f === last || ys[f + 1]! - ys[f]! <= m * (xs[f + 1]! - xs[f]!))
    ) {
      return f;
    }
    let a = 0;
    let b = last;
    while (a < b) {
      const mid = (a + b) >> 1;
      if (ys[mid + 1]! - ys[mid]! <= m * (xs[mid + 1]! - xs[mid]!)) b = mid;
      else a = mid + 1;
    }
    this.finger = a;
    return a;
  }

  /** Index of the point minimising y - m*x (lower hull: edge slopes increase). */
  argMin(m: number): number {
    const xs = this.xs;
    const ys = this.ys;
    const last = this.size - 1;
    const f = this.finger < last ? this.finger : last;
    if (
      (f === 0 || ys[f]! - ys[f - 1]! < m * (xs[f]! - xs[f - 1]!)) &&
      (f === last || ys[f + 1]! - ys[f]! >= m * (xs[f + 1]! - xs[f]!))
    ) {
      return f;
    }
    let a = 0;
    let b = last;
    while (a < b) {
      const mid = (a + b) >> 1;
      if (ys[mid + 1]! - ys[mid]! >= m * (xs[mid + 1]! - xs[mid]!)) b = mid;
      else a = mid + 1;
    }
    this.finger = a;
    return a;
  }

  /** max over points of y - m*x; -Infinity when empty. */
  maxOffset(m: number): number {
    if (this.size === 0) return -Infinity;
    const t = this.argMax(m);
    return this.ys[t]! - m * this.xs[t]!;
  }

  /** min over points of y - m*x; Infinity when empty. */
  minOffset(m: number): number {
    if (this.size === 0) return Infinity;
    const t = this.argMin(m);
    return this.ys[t]! - m * this.xs[t]!;
  }

  private grow(): void {
    const xs = new Float64Array(this.xs.length * 2);
    const ys = new Float64Array(this.ys.length * 2);
    xs.set(this.xs);
    ys.set(this.ys);
    this.xs = xs;
    this.ys = ys;
  }
}

/**
 * Sign of the cross product (b - a) x (c - a): 1 for a left turn, -1 right, 0 collinear.
 * Exact for x differences below 2^26 and y differences below 2^52: when a product could
 * round, the y differences are split into 26-bit halves so every partial product is an
 * exact double.
 */
export function orient(ax: number, ay: number, bx: number, by: number, cx: number, cy: number): number {
  const dx1 = bx - ax;
  const dy1 = by - ay;
  const dx2 = cx - ax;
  const dy2 = cy - ay;
  const left = dx1 * dy2;
  const right = dy1 * dx2;
  if (Math.abs(left) < 2 ** 53 && Math.abs(right) < 2 ** 53) return Math.sign(left - right);
  const h1 = Math.floor(dy1 / SPLIT);
  const h2 = Math.floor(dy2 / SPLIT);
  let high = dx1 * h2 - dx2 * h1;
  let low = dx1 * (dy2 - h2 * SPLIT) - dx2 * (dy1 - h1 * SPLIT);
  const carry = Math.floor(low / SPLIT);
  high += carry;
  low -= carry * SPLIT;
  // Now det = high * 2^26 + low with 0 <= low < 2^26.
  return high > 0 ? 1 : high < 0 ? -1 : low > 0 ? 1 : 0;
}

const SPLIT = 2 ** 26;

/** floor(a / b) for integers |a| < 2^53, b > 0, exactly. */
export function floorDiv(a: number, b: number): number {
  let q = Math.floor(a / b);
  if (q * b > a) q--;
  else if ((q + 1) * b <= a) q++;
  return q;
}

/** ceil(a / b) for integers |a| < 2^53, b > 0, exactly. */
export function ceilDiv(a: number, b: number): number {
  let q = Math.ceil(a / b);
  if (q * b < a) q++;
  else if ((q - 1) * b >= a) q--;
  return q + 0; // never -0
}
