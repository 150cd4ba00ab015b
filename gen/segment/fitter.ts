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
 * Codes arrive in increasing x, so a new code T only lowers the largest feasible m (pairs
 * with earlier lower bounds) and raises the smallest (pairs with earlier upper bounds).
 * Only the upper convex hull of the earlier lower-bound points and the lower hull of the
 * upper-bound points matter; both are kept incrementally (Andrew's monotone chain) and
 * queried by binary search. The feasible slopes stay an integer interval [mLo, mHi].
 *
 * With k = 0 every integer m in that interval has an integer C (the bounds are integers),
 * so the test is exact. With k > 0 C must be a multiple of 2^k as well; a witness pair is
 * kept and, when a new code breaks it, the slopes in [mLo, mHi] are searched for a new
 * one, so the test stays exact.
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
}

export class LineFitter {
  // Upper hull of the lower-bound points (x, lo) and lower hull of the upper-bound points
  // (x, hi), as stacks in growable typed arrays.
  private readonly lower = new Hull(1);
  private readonly upper = new Hull(-1);
  private step = 1;
  private cMinAcc = 0;
  private cMaxAcc = 0;
  private exactWithoutWitness = true;
  /** The integer slopes that remain feasible. */
  mLo = 0;
  mHi = 0;
  private witnessM = 0;
  private witnessC = 0;
  /** Number of codes in the current segment. */
  size = 0;

  reset(limits: FitLimits): void {
    this.lower.clear();
    this.upper.clear();
    this.step = 2 ** limits.interceptShift;
    this.cMinAcc = limits.interceptMin * this.step;
    this.cMaxAcc = limits.interceptMax * this.step;
    this.exactWithoutWitness = limits.interceptShift === 0;
    this.mLo = limits.slopeMin;
    this.mHi = limits.slopeMax;
    this.witnessM = Math.max(limits.slopeMin, Math.min(0, limits.slopeMax));
    this.witnessC = limits.interceptMin;
    this.size = 0;
  }

  /** Adds the next code (larger x than all before); false, with no change, if infeasible. */
  tryAdd(x: number, lo: number, hi: number): boolean {
    if (lo > hi) return false;
    let mLo = this.mLo;
    let mHi = this.mHi;
    // Pairs with the intercept's range.
    if (x > 0) {
      if (hi !== Infinity) mHi = Math.min(mHi, floorDiv(hi - this.cMinAcc, x));
      if (lo !== -Infinity) mLo = Math.max(mLo, ceilDiv(lo - this.cMaxAcc, x));
    } else if (x < 0) {
      if (hi !== Infinity) mLo = Math.max(mLo, ceilDiv(this.cMinAcc - hi, -x));
      if (lo !== -Infinity) mHi = Math.min(mHi, floorDiv(this.cMaxAcc - lo, -x));
    } else if (hi < this.cMinAcc || lo > this.cMaxAcc) {
      return false;
    }
    if (mLo > mHi) return false;
    // Pairs with earlier codes.
    if (hi !== Infinity && this.lower.size > 0) {
      mHi = this.largestSlopeBelow(x, hi, mLo, mHi);
      if (mHi < mLo) return false;
    }
    if (lo !== -Infinity && this.upper.size > 0) {
      mLo = this.smallestSlopeAbove(x, lo, mLo, mHi);
      if (mLo > mHi) return false;
    }
    if (!this.exactWithoutWitness && !this.keepWitness(x, lo, hi, mLo, mHi)) return false;
    this.mLo = mLo;
    this.mHi = mHi;
    if (lo !== -Infinity) this.lower.push(x, lo);
    if (hi !== Infinity) this.upper.push(x, hi);
    this.size++;
    return true;
  }

  /** The stored intercepts that work with slope m for every code added so far. */
  interceptRange(m: number): [number, number] {
    const low = Math.max(this.lower.maxOffset(m), this.cMinAcc);
    const high = Math.min(this.upper.minOffset(m), this.cMaxAcc);
    return [Math.ceil(low / this.step), Math.floor(high / this.step)];
  }

  /**
   * Largest m in [mLo, mHi] with lo_i + m*(x - x_i) <= hi for every earlier lower-bound
   * point i; mLo-1 if none. Newton-like descent over hull vertices: the vertex that binds
   * at the current m gives the next m exactly, and each vertex binds at most once.
   */
  private largestSlopeBelow(x: number, hi: number, mLo: number, mHi: number): number {
    const lower = this.lower;
    let m = mHi;
    for (;;) {
      const t = lower.argMax(m);
      const vx = lower.x(t);
      const vy = lower.y(t);
      if (vy + m * (x - vx) <= hi) return m;
      m = floorDiv(hi - vy, x - vx);
      if (m < mLo) return mLo - 1;
    }
  }

  /** Smallest m in [mLo, mHi] with hi_j + m*(x - x_j) >= lo for every earlier upper-bound point j; mHi+1 if none. */
  private smallestSlopeAbove(x: number, lo: number, mLo: number, mHi: number): number {
    const upper = this.upper;
    let m = mLo;
    for (;;) {
      const t = upper.argMin(m);
      const vx = upper.x(t);
      const vy = upper.y(t);
      if (vy + m * (x - vx) >= lo) return m;
      m = ceilDiv(lo - vy, x - vx);
      if (m > mHi) return mHi + 1;
    }
  }

  /**
   * Keeps (or finds) a pair (m, C) with C a multiple of 2^k that satisfies every code
   * including the new one (x, lo, hi). Searches outward from the old witness's slope.
   */
  private keepWitness(x: number, lo: number, hi: number, mLo: number, mHi: number): boolean {
    const accAt = this.witnessM * x + this.witnessC * this.step;
    if (this.witnessM >= mLo && this.witnessM <= mHi && accAt >= lo && accAt <= hi) return true;
    const start = Math.max(mLo, Math.min(mHi, this.witnessM));
    for (let d = 0; start - d >= mLo || start + d <= mHi; d++) {
      if (this.tryWitness(start - d, x, lo, hi, mLo, mHi)) return true;
      if (d > 0 && this.tryWitness(start + d, x, lo, hi, mLo, mHi)) return true;
    }
    return false;
  }

  private tryWitness(m: number, x: number, lo: number, hi: number, mLo: number, mHi: number): boolean {
    if (m < mLo || m > mHi) return false;
    const low = Math.max(this.lower.maxOffset(m), lo - m * x, this.cMinAcc);
    const high = Math.min(this.upper.minOffset(m), hi - m * x, this.cMaxAcc);
    const c = Math.ceil(low / this.step);
    if (c * this.step > high) return false;
    this.witnessM = m;
    this.witnessC = c;
    return true;
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

  /** Index of the point maximising y - m*x (upper hull: edge slopes decrease). */
  argMax(m: number): number {
    const xs = this.xs;
    const ys = this.ys;
    let a = 0;
    let b = this.size - 1;
    while (a < b) {
      const mid = (a + b) >> 1;
      if (ys[mid + 1]! - ys[mid]! <= m * (xs[mid + 1]! - xs[mid]!)) b = mid;
      else a = mid + 1;
    }
    return a;
  }

  /** Index of the point minimising y - m*x (lower hull: edge slopes increase). */
  argMin(m: number): number {
    const xs = this.xs;
    const ys = this.ys;
    let a = 0;
    let b = this.size - 1;
    while (a < b) {
      const mid = (a + b) >> 1;
      if (ys[mid + 1]! - ys[mid]! >= m * (xs[mid + 1]! - xs[mid]!)) b = mid;
      else a = mid + 1;
    }
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
