import { describe, expect, it } from "vitest";
import { belowConstant } from "../../gen/rtl/verilog.js";
import { bitRuns } from "../../gen/segment/comparator.js";

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
