/**
 * A comparison `key < C` against a constant, as the comparator tree spells it (bit logic,
 * see belowConstant in gen/rtl/verilog.ts), and what it costs. Lives here, before the RTL
 * stage, because the segmenter places breakpoints by this cost; the Verilog view spells
 * the same terms.
 */

/** A run of equal bits hi..lo of a constant, and whether they are ones. */
export interface BitRun {
  readonly hi: number;
  readonly lo: number;
  readonly ones: boolean;
}

/**
 * The runs of equal bits of an unsigned constant from its lowest set bit up, which decide
 * `key < value` (see belowConstant); empty for 0, which no key is below.
 */
export function bitRuns(value: number, width: number): BitRun[] {
  const bit = (i: number): boolean => Math.floor(value / 2 ** i) % 2 === 1;
  const runs: BitRun[] = [];
  let lo = 0;
  while (lo < width && !bit(lo)) lo++;
  while (lo < width) {
    let hi = lo;
    while (hi + 1 < width && bit(hi + 1) === bit(lo)) hi++;
    runs.push({ hi, lo, ones: bit(lo) });
    lo = hi + 1;
  }
  return runs;
}

/**
 * The terms of `key < value`, one per run, low to high. With `signed` (a two's complement
 * key compared as x - min(x), its top bit inverted) the top bit stands alone when it ends
 * a longer run: its term is the key bit itself.
 */
export function comparatorTerms(value: number, width: number, signed: boolean): BitRun[] {
  return bitRuns(value, width).flatMap((run) =>
    signed && run.hi === width - 1 && run.lo < run.hi
      ? [
          { ...run, hi: run.hi - 1 },
          { ...run, lo: run.hi },
        ]
      : [run],
  );
}

/**
 * The cost of one comparator `key < value` of the tree, for a `width`-bit key (`signed` as
 * in comparatorTerms): the number of key bits it reads, from the constant's lowest set bit
 * up, plus a quarter per term.
 *
 * What it approximates: LUT4 inputs. The comparison is a function of exactly those bits
 * (the bits below the lowest set bit never decide it), so a constant with t trailing zeros
 * costs width - t inputs, about (width - t - 1) / 3 LUT4s on its own, and when every
 * breakpoint of a tree has many trailing zeros the select logic ignores the input's low
 * bits altogether. The term count (bit runs) is a tie-break worth a quarter input: each
 * term is a reduction over a run, and fewer terms mean fewer and shallower gates before
 * synthesis merges them. Costs are multiples of 1/4, so sums of them are exact.
 */
export function comparatorCost(value: number, width: number, signed: boolean): number {
  if (value === 0) return 0;
  // comparatorTerms without building them (the placement calls this for many positions):
  // the lowest set bit, then one term per change of bit value up to the top.
  let v = value;
  let lowest = 0;
  while (v % 2 === 0) {
    v /= 2;
    lowest++;
  }
  let terms = 0;
  let previous = -1;
  let topTwo = 0; // the run of equal bits ending at the top, up to 2
  for (let i = lowest; i < width; i++) {
    const bit = v % 2;
    v = (v - bit) / 2;
    topTwo = bit === previous ? Math.min(topTwo + 1, 2) : 1;
    if (bit !== previous) terms++;
    previous = bit;
  }
  if (signed && topTwo === 2) terms++; // the inverted top bit stands alone
  return width - lowest + terms / 4;
}

/** A node of the balanced comparator tree over segments lo..hi-1: it compares with breakpoint mid. */
export interface TreeNode {
  readonly lo: number;
  readonly mid: number;
  readonly hi: number;
}

/** The nodes of the balanced comparator tree over n segments, as the views build it (left subtree first). */
export function treeNodes(n: number): TreeNode[] {
  const nodes: TreeNode[] = [];
  const visit = (lo: number, hi: number): void => {
    if (hi - lo <= 1) return;
    const mid = lo + Math.ceil((hi - lo) / 2);
    visit(lo, mid);
    visit(mid, hi);
    nodes.push({ lo, mid, hi });
  };
  visit(0, n);
  return nodes;
}

/**
 * The low bits of a `width`-bit key that a tree node's comparison reads. The node decides
 * only for keys in its segments' range [breakpoints[lo], breakpoints[hi]) (the path to it
 * has ruled out the others; the first and last ranges reach the key's ends), and there the
 * key's bits above the range's common prefix are that prefix, which the node's constant
 * shares, so they never decide the comparison. `offset` maps breakpoints to keys (2^(w-1)
 * for a signed key compared as x - min(x)).
 */
export function treeKnownBits(
  breakpoints: readonly number[],
  node: TreeNode,
  width: number,
  offset: number,
): number {
  const first = node.lo === 0 ? 0 : breakpoints[node.lo]! + offset;
  const last = node.hi === breakpoints.length ? 2 ** width - 1 : breakpoints[node.hi]! + offset - 1;
  let known = 0;
  while (known < width && Math.floor(first / 2 ** known) !== Math.floor(last / 2 ** known)) known++;
  return known;
}
