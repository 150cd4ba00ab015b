import { describe, expect, it } from "vitest";
import { belowConstant } from "../../gen/rtl/verilog.js";
import fc from "fast-check";
import { bitRuns, treeKnownBits, treeNodes } from "../../gen/segment/comparator.js";

/** Evaluates belowConstant's Verilog text for one key value (its only operators: ~ ~& ~| & |). */
function evaluate(expr: string, key: number): boolean {
  const slice = (hi: number, lo: number): number => Math.floor(key / 2 ** lo) % 2 ** (hi - lo + 1);
  const js = expr
    .replace(/~&k\[(\d+):(\d+)\]/g, (_, hi: string, lo: string) =>
      String(slice(+hi, +lo) !== 2 ** (+hi - +lo + 1) - 1),
    )
    .replace(/~\|k\[(\d+):(\d+)\]/g, (_, hi: string, lo: string) => String(slice(+hi, +lo) === 0))
    .replace(/~k\[(\d+)\]/g, (_, i: string) => String(slice(+i, +i) === 0))
    .replace(/k\[(\d+)\]/g, (_, i: string) => String(slice(+i, +i) === 1))
    .replace(/1'b0/g, "false")
    .replace(/ & /g, " && ")
    .replace(/ \| /g, " || ");
  expect(js).toMatch(/^[truefals()&| ]*$/);
  return (new Function(`return ${js};`) as () => boolean)();
}

describe("comparisons against constants as bit logic", () => {
  it("key < value for every key and constant up to 7 bits", () => {
    for (let width = 1; width <= 7; width++) {
      for (let value = 0; value < 2 ** width; value++) {
        const expr = belowConstant("k", value, width);
        for (let key = 0; key < 2 ** width; key++)
          expect(evaluate(expr, key), `${key} < ${value}`).toBe(key < value);
      }
    }
  });

  it("a signed key against its offset constant: x < c for every two's complement x and c up to 7 bits", () => {
    for (let width = 1; width <= 7; width++) {
      const half = 2 ** (width - 1);
      for (let c = -half; c < half; c++) {
        const expr = belowConstant("k", c + half, width, true);
        for (let x = -half; x < half; x++) {
          expect(evaluate(expr, x < 0 ? x + 2 * half : x), `${x} < ${c}`).toBe(x < c);
        }
      }
    }
    // Every key bit appears as itself: no wire of the inverted key is needed.
    expect(belowConstant("k", 0b1100, 4, true)).toBe("(k[3] | ~k[2])");
  });

  it("a tree node reads only the key bits below its range's common prefix, and decides every key in its range", () => {
    // Breakpoints of a table code of `width` bits (signed: compared as x - min(x)), the
    // balanced tree over them, and every key that reaches each node.
    const trees = fc
      .record({ width: fc.integer({ min: 1, max: 7 }), signed: fc.boolean() })
      .chain(({ width, signed }) =>
        fc
          .uniqueArray(fc.integer({ min: 1, max: 2 ** width - 1 }), { maxLength: 12 })
          .map((inner) => ({ width, signed, keys: [0, ...inner.sort((a, b) => a - b)] })),
      );
    fc.assert(
      fc.property(trees, ({ width, signed, keys }) => {
        const offset = signed ? 2 ** (width - 1) : 0;
        const breakpoints = keys.map((key) => key - offset);
        for (const node of treeNodes(breakpoints.length)) {
          const known = treeKnownBits(breakpoints, node, width, offset);
          const c = keys[node.mid]!;
          const expr = belowConstant("k", c % 2 ** known, known, signed && known === width);
          const first = node.lo === 0 ? 0 : keys[node.lo]!;
          const end = node.hi === keys.length ? 2 ** width : keys[node.hi]!;
          // The Verilog reads the code's own bits: the key with its top bit inverted when signed.
          for (let key = first; key < end; key++)
            expect(evaluate(expr, (key + offset) % 2 ** width), `${key} < ${c}`).toBe(key < c);
        }
      }),
      { seed: 20261206, numRuns: 300 },
    );
    // The nodes of 5 segments, children first: [0, 3) splits at 2, [0, 5) at 3.
    expect(treeNodes(5)).toEqual([
      { lo: 0, mid: 1, hi: 2 },
      { lo: 0, mid: 2, hi: 3 },
      { lo: 3, mid: 4, hi: 5 },
      { lo: 0, mid: 3, hi: 5 },
    ]);
    // Keys 64..127 of 8 bits share the prefix 01: a node there reads 6 bits.
    expect(treeKnownBits([0, 64, 96, 128], { lo: 1, mid: 2, hi: 3 }, 8, 0)).toBe(6);
  });

  it("reads as runs of the constant's bits from its lowest set bit", () => {
    expect(bitRuns(0b0110100, 7)).toEqual([
      { hi: 2, lo: 2, ones: true },
      { hi: 3, lo: 3, ones: false },
      { hi: 5, lo: 4, ones: true },
      { hi: 6, lo: 6, ones: false },
    ]);
    expect(belowConstant("k", 0b0110100, 7)).toBe("(~k[6] & (~&k[5:4] | (~k[3] & ~k[2])))");
    expect(bitRuns(0, 8)).toEqual([]);
    expect(belowConstant("k", 0, 8)).toBe("1'b0");
    // Wide constants (beyond 32 bits) keep their bits.
    expect(bitRuns(2 ** 40 + 1, 41)).toEqual([
      { hi: 0, lo: 0, ones: true },
      { hi: 39, lo: 1, ones: false },
      { hi: 40, lo: 40, ones: true },
    ]);
  });
});
