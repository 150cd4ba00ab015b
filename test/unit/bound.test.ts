import { describe, it, expect } from "vitest";
import { parseBound, showReal } from "../../gen/spec/bound.js";

describe("parseBound: absolute bounds", () => {
  it.each([
    ["0.001", 0.001],
    ["1e-3", 0.001],
    ["1E-3", 0.001],
    [".5", 0.5],
    ["0.5", 0.5],
    ["2", 2],
    [" 0.25 ", 0.25],
  ])("%j is the real number %d", (text, value) => {
    expect(parseBound(text)).toEqual({ kind: "absolute", value });
  });

  it.each(["2^-10", "2**-10", "2 ^ -10", "2 ** -10"])("%j is the power of two 2^-10 = 1/1024", (text) => {
    expect(parseBound(text)).toEqual({ kind: "absolute", value: 1 / 1024 });
  });

  it("reads positive exponents too (2^3 = 8)", () => {
    expect(parseBound("2^3")).toEqual({ kind: "absolute", value: 8 });
  });

  it("takes a positive finite JavaScript number as it is", () => {
    expect(parseBound(0.001)).toEqual({ kind: "absolute", value: 0.001 });
    expect(parseBound(2 ** -10)).toEqual({ kind: "absolute", value: 1 / 1024 });
  });
});

describe("parseBound: bounds in output ulps", () => {
  it.each([
    ["1ulp", 1],
    ["0.75ulp", 0.75],
    ["3 ulps", 3],
    ["32ulp", 32],
    ["2lsb", 2],
    ["4 lsbs", 4],
    [".5ulp", 0.5],
  ])("%j is %d ulp", (text, value) => {
    expect(parseBound(text)).toEqual({ kind: "ulp", value });
  });
});

describe("parseBound: rejects what is not a positive finite bound", () => {
  it.each(["0", "-1", "2^x", "abc", "1e400", "", "ulp", "0ulp", "-1ulp", "0.0", "2^", "1e-3e2", "0x10"])(
    "rejects %j",
    (text) => {
      expect(parseBound(text)).toBeUndefined();
    },
  );

  it.each([NaN, Infinity, -Infinity, 0, -0.001])("rejects the number %d", (value) => {
    expect(parseBound(value)).toBeUndefined();
  });
});

describe("showReal", () => {
  it("shows powers of two as 2^k", () => {
    expect(showReal(2 ** -10)).toBe("2^-10");
    expect(showReal(0.5)).toBe("2^-1");
    expect(showReal(1)).toBe("2^0");
    expect(showReal(2 ** -16)).toBe("2^-16");
  });

  it("shows other numbers as a decimal close to the value, not as a power of two", () => {
    for (const value of [0.001, 0.75, 3, 0.000976]) {
      const text = showReal(value);
      expect(text).not.toContain("^");
      expect(Math.abs(Number(text) - value) / value).toBeLessThan(1e-3);
    }
  });
});
