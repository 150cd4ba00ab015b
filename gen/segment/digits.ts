/**
 * Multiplier-less slopes (--slope-digits D): a slope with at most D non-zero signed
 * power-of-two digits, so that slope * o is D shifted copies of o, added or subtracted
 * (shift-add) instead of a multiplier. A slope's digits are its non-adjacent form (NAF):
 * the unique signed-digit form with no two adjacent non-zero digits, which has the fewest
 * non-zero digits of any signed-digit form. The segmenter searches only slopes whose NAF
 * has at most D digits (fitter.ts), so the bound still holds on every code exactly.
 */

/** One non-zero digit of a slope: +-2^shift. */
export interface SlopeDigit {
  readonly shift: number;
  readonly negative: boolean;
}

/** The most digits --slope-digits takes (beyond a handful a multiplier is cheaper). */
export const MAX_SLOPE_DIGITS = 4;

/** The non-adjacent form of an integer (|m| < 2^52), highest digit first. */
export function slopeDigits(m: number): SlopeDigit[] {
  const digits: SlopeDigit[] = [];
  let n = m;
  for (let shift = 0; n !== 0; shift++) {
    if (n % 2 !== 0) {
      // The digit d in {-1, 1} that leaves n - d divisible by 4.
      const d = ((n % 4) + 4) % 4 === 1 ? 1 : -1;
      digits.push({ shift, negative: d < 0 });
      n -= d;
    }
    n /= 2;
  }
  return digits.reverse();
}

/** The value of a list of digits. */
export function digitsValue(digits: readonly SlopeDigit[]): number {
  return digits.reduce((sum, d) => sum + (d.negative ? -1 : 1) * 2 ** d.shift, 0);
}

const cache = new Map<string, Float64Array>();

/**
 * Every integer in [min, max] whose NAF has at most `digits` non-zero digits, ascending.
 * A handful of thousand values for the slope widths the segmenter searches (cached).
 */
export function allowedSlopes(digits: number, min: number, max: number): Float64Array {
  const key = `${digits} ${min} ${max}`;
  let list = cache.get(key);
  if (list) return list;
  const top = Math.ceil(Math.log2(Math.max(Math.abs(min), Math.abs(max), 1))) + 1;
  const values = new Set<number>([0]);
  // Grow from the values with fewer digits: add one more +-2^s below the lowest digit (NAF
  // digits are listed highest first, so every NAF is reached once from its prefix).
  let frontier: { value: number; lowest: number }[] = [{ value: 0, lowest: top + 2 }];
  for (let d = 0; d < digits; d++) {
    const next: { value: number; lowest: number }[] = [];
    for (const { value, lowest } of frontier) {
      // A NAF digit sits at least two places below the one above it.
      const limit = value === 0 ? top : lowest - 2;
      for (let s = 0; s <= limit; s++) {
        for (const sign of [1, -1]) {
          const v = value + sign * 2 ** s;
          if (Math.abs(v) > 2 ** (top + 1)) continue;
          next.push({ value: v, lowest: s });
          values.add(v);
        }
      }
    }
    frontier = next;
  }
  list = Float64Array.from([...values].filter((v) => v >= min && v <= max)).sort();
  if (cache.size > 64) cache.clear();
  cache.set(key, list);
  return list;
}

/** Index of the first value >= v in an ascending list (its length if none). */
export function lowerBound(list: Float64Array, v: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid]! < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The allowed value nearest v (ties: the smaller), or undefined for an empty list. */
export function nearestAllowed(list: Float64Array, v: number): number | undefined {
  if (list.length === 0) return undefined;
  const i = lowerBound(list, v);
  if (i === 0) return list[0];
  if (i === list.length) return list[list.length - 1];
  return v - list[i - 1]! <= list[i]! - v ? list[i - 1] : list[i];
}
