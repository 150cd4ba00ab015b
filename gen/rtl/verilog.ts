import { type BitRun, comparatorTerms } from "../segment/comparator.js";

/** Small Verilog text helpers for the view models: literals, declarations, resizing. */

/** A sized literal: 16'sh8000 for signed, 8'h3f for unsigned (two's complement for negatives). */
export function literal(value: number, width: number, signed: boolean): string {
  const modulus = 1n << BigInt(width);
  const bits = ((BigInt(value) % modulus) + modulus) % modulus;
  const digits = Math.ceil(width / 4);
  return `${width}'${signed ? "s" : ""}h${bits.toString(16).padStart(digits, "0")}`;
}

/** Decimal literal for small unsigned values such as segment indices: 5'd3. */
export function index(value: number, width: number): string {
  return `${width}'d${value}`;
}

/** The type part of a declaration: "signed [15:0]" or "[7:0]". */
export function range(width: number, signed: boolean): string {
  return `${signed ? "signed " : ""}[${width - 1}:0]`;
}

export interface Resized {
  readonly expr: string;
  /** Bits of the source the result leaves out (an expression), if any. */
  readonly dropped?: string;
}

/**
 * `name` (a `width`-bit signal) extended or truncated to `target` bits. Extension copies
 * the sign bit for signed sources and zeros otherwise; truncation keeps the low bits,
 * which is exact whenever the value fits (two's complement arithmetic is modular).
 */
export function resize(name: string, width: number, target: number, signed: boolean): Resized {
  if (target === width) return { expr: name };
  if (target < width) {
    return { expr: `${name}[${target - 1}:0]`, dropped: `${name}[${width - 1}:${target}]` };
  }
  const fill = signed ? `${name}[${width - 1}]` : "1'b0";
  return { expr: `{{${target - width}{${fill}}}, ${name}}` };
}

/**
 * `key < value` for a `width`-bit key and a constant, as plain bit logic: the highest bit
 * where key and constant differ decides. Scanning up from the constant's lowest set bit, a
 * run of ones makes the key smaller if any key bit there is 0 (else the decision passes
 * down), a run of zeros makes it larger if any key bit there is 1. The key is unsigned, or,
 * with `signed`, two's complement compared as its offset x - min(x) (the top bit inverted)
 * with a constant that includes that offset. Written this way, synthesis builds a few LUTs
 * instead of a carry chain per comparator (half the logic cells on iCE40), and simulators
 * evaluate it as fast as `<`. The terms, and what they cost, come from comparatorTerms and
 * comparatorCost (gen/segment/comparator.ts), which the segmenter uses to place breakpoints.
 */
export function belowConstant(key: string, value: number, width: number, signed = false): string {
  const runs = comparatorTerms(value, width, signed);
  if (runs.length === 0) return "1'b0";
  const term = (run: BitRun): string => {
    if (run.hi !== run.lo) return `${run.ones ? "~&" : "~|"}${key}[${run.hi}:${run.lo}]`;
    return signed && run.hi === width - 1 ? `${key}[${run.hi}]` : `~${key}[${run.hi}]`;
  };
  return runs.reduce(
    (inner, run, i) => (i === 0 ? term(run) : `(${term(run)} ${run.ones ? "|" : "&"} ${inner})`),
    "",
  );
}
