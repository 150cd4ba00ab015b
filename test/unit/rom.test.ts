import { describe, expect, it } from "vitest";
import { generate } from "../../gen/generate.js";
import { renderModule } from "../../gen/rtl/render.js";
import {
  WORD_TREE_MAX_SEGMENTS,
  romLogic,
  treeIndexMuxes,
  usesWordTree,
  wordTreeNodes,
} from "../../gen/rtl/rom.js";

/**
 * The two spellings of a comparator tree's ROM (gen/rtl/rom.ts): which one the view takes,
 * and what each is counted as for the cost model. That both compute the same function is
 * proven by cosimulation (test/cosim/architectures.test.ts, "both tree spellings").
 */
describe("word trees", () => {
  const spec = { function: "gelu", in: "s4.12", out: "s4.12", maxError: "2^-8", method: "optimal" } as const;

  it("replace a small tree's index and ROM where they take no more multiplexers, on the targets that allow them", () => {
    const ice40 = generate({ ...spec, target: "ice40" }).design;
    const xc7 = generate({ ...spec, target: "xc7" }).design;
    expect(ice40.treeWords).toBe(true);
    expect(xc7.treeWords).toBeUndefined();
    const y = ice40.y;
    expect(y.breakpoints.length).toBe(12);
    // 12 segments: 18 index multiplexers and 17 ROM leaf LUTs, against 31 word multiplexers.
    expect(treeIndexMuxes(12)).toBe(18);
    expect(romLogic(y, undefined, 4).romLeaves).toBe(17);
    expect(wordTreeNodes(y, undefined).muxes).toBe(31);
    expect(usesWordTree(true, y, undefined)).toBe(true);
    expect(usesWordTree(false, y, undefined)).toBe(false);
    // The Verilog: a word wire per comparator and no case statement, or an index and a ROM.
    const words = renderModule(ice40);
    expect(words.match(/ y_word_\d+_\d+ = /g)?.length).toBe(11);
    expect(words).not.toMatch(/case \(|y_segment/);
    expect(renderModule(xc7)).toMatch(/case \(y_segment\)/);
  });

  it("are never used for trees of more than 16 segments, nor where the word tree takes more multiplexers", () => {
    const large = generate({ ...spec, maxError: "2^-10", target: "ice40" }).design.y;
    expect(large.breakpoints.length).toBeGreaterThan(WORD_TREE_MAX_SEGMENTS);
    expect(usesWordTree(true, large, undefined)).toBe(false);
    const silu = generate({ ...spec, function: "silu", target: "ice40" }).design.y;
    expect(silu.breakpoints.length).toBeLessThanOrEqual(WORD_TREE_MAX_SEGMENTS);
    const n = silu.breakpoints.length;
    expect(wordTreeNodes(silu, undefined).muxes).toBeGreaterThan(
      treeIndexMuxes(n) + romLogic(silu, undefined, 4).romLeaves,
    );
    expect(usesWordTree(true, silu, undefined)).toBe(false);
  });

  it("count shared nodes once, and no logic for a node that is its comparison", () => {
    // Four segments, one 2-bit column: bit 0 is 0,1,0,1 (two nodes, each the comparison
    // itself, and a root multiplexing them), bit 1 is 0,0,1,1 (the root's comparison).
    const channel = {
      ...generate({ ...spec, target: "ice40" }).design.y,
      breakpoints: [0, 1, 2, 3],
      slopes: [0b00, 0b01, 0b10, 0b11],
      intercepts: [0, 0, 0, 0],
      slopeFormat: { signed: false, intBits: 2, fracBits: 0 },
    };
    expect(wordTreeNodes(channel, undefined)).toEqual({ muxes: 1, gates: 0 });
    // A third segment pattern 0,0,0,1 is a gate (the right half's comparison, ANDed).
    expect(
      wordTreeNodes(
        { ...channel, slopes: [0, 0, 0, 1], slopeFormat: { signed: false, intBits: 1, fracBits: 0 } },
        undefined,
      ),
    ).toEqual({
      muxes: 0,
      gates: 1,
    });
  });
});
