import { type FixFormat, width } from "../fixed/format.js";
import { type PwlChannel, type PwlDesign, romEntries, segmentCount, segmentOf } from "../design/ir.js";
import { treeNodes } from "../segment/comparator.js";
import { shiftAddLayout } from "./view.js";

/**
 * What the coefficient ROM is made of, counted from the IR as the Verilog view spells it:
 * the cost model's ROM features (gen/cost/features.ts) and the view's choice between the
 * two ways a comparator tree can read the ROM (usesWordTree).
 */

/** dy as a ROM column of y's table (--derivative slope): its values and format. */
export interface Tap {
  readonly values: readonly number[];
  readonly format: FixFormat;
}

/** A column of the ROM: a value per segment, and its width in bits. */
interface Column {
  readonly values: readonly number[];
  readonly width: number;
}

/** The ROM's columns as the view orders them: slope (or shift-add words), intercept, dy tap. */
export function romColumns(channel: PwlChannel, tap: Tap | undefined): Column[] {
  return [
    slopeColumn(channel),
    { values: channel.intercepts, width: width(channel.interceptFormat) },
    ...(tap ? [{ values: tap.values, width: width(tap.format) }] : []),
  ];
}

/**
 * The index bits of a comparator tree's nodes that are a multiplexer: neither constant nor
 * a comparator's output (a node whose two halves agree on an index bit passes it through).
 */
export function treeIndexMuxes(n: number): number {
  const indexWidth = Math.max(1, Math.ceil(Math.log2(n)));
  const bitOf = (lo: number, hi: number, b: number): number | undefined => {
    const first = (lo >> b) & 1;
    for (let i = lo + 1; i < hi; i++) if (((i >> b) & 1) !== first) return undefined;
    return first;
  };
  let muxes = 0;
  for (const { lo, mid, hi } of treeNodes(n)) {
    for (let b = 0; b < indexWidth; b++) {
      if (bitOf(lo, mid, b) === undefined || bitOf(mid, hi, b) === undefined) muxes++;
    }
  }
  return muxes;
}

/**
 * A word tree: the comparator tree multiplexing the coefficient words themselves (no
 * segment index, no ROM case statement). Per ROM bit, a node whose two halves hold the same
 * bit passes it through (constant propagation); the others are a multiplexer when both
 * halves vary, a gate (an AND or an OR with the comparison) when one half is constant, and
 * the comparison itself (or its complement) when both are.
 * Equal nodes of different bits are one (shared).
 */
export function wordTreeNodes(channel: PwlChannel, tap: Tap | undefined): { muxes: number; gates: number } {
  const n = segmentCount(channel);
  const nodes = new Map<string, number>();
  let muxes = 0;
  let gates = 0;
  for (const column of romColumns(channel, tap)) {
    for (let bit = 0; bit < column.width; bit++) {
      // Ids 0 and 1 are the constants; a node's id is its position in `nodes` + 2.
      const visit = (lo: number, hi: number): number => {
        if (hi - lo === 1) return Math.floor(column.values[lo]! / 2 ** bit) & 1;
        const mid = lo + Math.ceil((hi - lo) / 2);
        const left = visit(lo, mid);
        const right = visit(mid, hi);
        if (left === right) return left;
        const key = `${lo},${hi},${left},${right}`;
        let id = nodes.get(key);
        if (id === undefined) {
          id = nodes.size + 2;
          nodes.set(key, id);
          if (left > 1 && right > 1) muxes++;
          else if (left > 1 || right > 1) gates++;
        }
        return id;
      };
      visit(0, n);
    }
  }
  return { muxes, gates };
}

/** The largest tree a word tree may replace: one whose index fits a LUT4 (larger ones measured dearer). */
export const WORD_TREE_MAX_SEGMENTS = 16;

/**
 * Whether the Verilog view spells a comparator tree as a word tree rather than a segment
 * index and a ROM case statement, on targets that allow it (PwlDesign.treeWords): when the
 * word tree's multiplexers are no more than the index tree's multiplexers and the ROM's
 * LUTs (its leaves: each a LUT4 of the index). Both spell the same function. The rule was
 * read off the README sweep's optimal units on iCE40 UP5K, both ways with Yosys: of the 10
 * trees of up to 16 segments it takes the word tree at 8 and is the smaller (or equal)
 * spelling at each of the 10 (646 LUT4 in all, against 665 as index trees and 663 as word
 * trees; gelu at 2^-8: 54 against 59); the 6 larger trees measured dearer as word trees at
 * every one (silu at 2^-12: 538 against 478), hence WORD_TREE_MAX_SEGMENTS. On xc7's 6-input
 * LUTs the index ROM is a LUT per bit and word trees measured dearer (PwlDesign.treeWords).
 */
export function usesWordTree(treeWords: boolean, channel: PwlChannel, tap: Tap | undefined): boolean {
  const n = segmentCount(channel);
  if (!treeWords || channel.select.kind !== "tree" || n < 2 || n > WORD_TREE_MAX_SEGMENTS) return false;
  const words = wordTreeNodes(channel, tap);
  return words.muxes <= treeIndexMuxes(n) + romLogic(channel, tap, 4).romLeaves;
}

/**
 * Whether the design's Verilog spells this channel's tree as a word tree (y's ROM holds a
 * --derivative slope tap), or would with a target's `treeWords`.
 */
export function channelWordTree(
  design: PwlDesign,
  channel: PwlChannel,
  treeWords = design.treeWords === true,
): boolean {
  const tap = channel === design.y && design.dy?.kind === "slope" ? design.dy : undefined;
  return usesWordTree(treeWords, channel, tap ? { values: tap.values, format: tap.output } : undefined);
}

/**
 * The coefficient ROM as logic, as an index select or an index-style tree spells it. Yosys turns the ROM's case statement into a multiplexer
 * tree over the index with constant leaves, which ABC then minimizes; what is left is, per
 * output bit (a column of the ROM over its entries), a function of the index bits. The
 * features count the columns' shared binary decision diagram (index MSB first): the
 * distinct non-trivial functions of the low L index bits (a LUT each; columns share them,
 * and a smooth coefficient's high bits are constant there) and the decision nodes above
 * (multiplexers). A tree select's index has n entries, padded to a power of two with the
 * last segment's word (the case statement's default); an index select's has one per cell.
 */
export function romLogic(
  channel: PwlChannel,
  tap: Tap | undefined,
  lutInputs: number,
): { romLeaves: number; romNodes: number } {
  const entries = romEntries(channel);
  if (segmentCount(channel) === 1) return { romLeaves: 0, romNodes: 0 };
  const k = Math.max(1, Math.ceil(Math.log2(entries)));
  const select = channel.select;
  const segmentOfEntry = (entry: number): number => {
    const e = Math.min(entry, entries - 1);
    return select.kind === "index"
      ? segmentOf(channel.breakpoints, channel.first + e * 2 ** select.shift)
      : e;
  };
  const segmentAt = Array.from({ length: 2 ** k }, (_, entry) => segmentOfEntry(entry));
  const columns = romColumns(channel, tap);
  const low = Math.min(k, lutInputs);
  const leaves = new Set<string>();
  // Decision nodes, shared: a node is (level, low child, high child) over ids of subfunctions.
  const nodes = new Map<string, number>();
  let romNodes = 0;
  for (const column of columns) {
    for (let bit = 0; bit < column.width; bit++) {
      const bits = segmentAt.map((s) => Math.floor(column.values[s]! / 2 ** bit) & 1);
      for (let start = 0; start < bits.length; start += 2 ** low) {
        const slice = bits.slice(start, start + 2 ** low);
        if (!isTrivial(slice, low)) leaves.add(slice.join(""));
      }
      // Reduce the column level by level; ids 0 and 1 are the constants.
      let ids = bits;
      for (let level = 0; level < k; level++) {
        const next: number[] = [];
        for (let i = 0; i < ids.length; i += 2) {
          const lo = ids[i]!;
          const hi = ids[i + 1]!;
          if (lo === hi) {
            next.push(lo);
            continue;
          }
          const key = `${level},${lo},${hi}`;
          let id = nodes.get(key);
          if (id === undefined) {
            id = nodes.size + 2;
            nodes.set(key, id);
            if (level >= low) romNodes++;
          }
          next.push(id);
        }
        ids = next;
      }
    }
  }
  return { romLeaves: leaves.size, romNodes };
}

/** A function of the index's low bits that needs no LUT: a constant, an index bit, or its complement. */
function isTrivial(bits: readonly number[], k: number): boolean {
  if (bits.every((v) => v === bits[0])) return true;
  for (let b = 0; b < k; b++) {
    if (bits.every((v, i) => v === ((i >> b) & 1)) || bits.every((v, i) => v !== ((i >> b) & 1))) return true;
  }
  return false;
}

/** The ROM's slope column as stored: the slopes, or the shift-add digit words (view.ts). */
export function slopeColumn(channel: PwlChannel): { values: readonly number[]; width: number } {
  const layout = shiftAddLayout(channel);
  return layout
    ? { values: layout.words, width: layout.width }
    : { values: channel.slopes, width: width(channel.slopeFormat) };
}
