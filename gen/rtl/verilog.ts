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
 * `key < value` for a `width`-bit key and a constant, as plain bit logic: the highest bit
 * where key and constant differ decides. Scanning up from the constant's lowest set bit, a
 * run of ones makes the key smaller if any key bit there is 0 (else the decision passes
 * down), a run of zeros makes it larger if any key bit there is 1. The key is unsigned, or,
 * with `signed`, two's complement compared as its offset x - min(x) (the top bit inverted)
 * with a constant that includes that offset. Written this way, synthesis builds a few LUTs
 * instead of a carry chain per comparator (half the logic cells on iCE40), and simulators
 * evaluate it as fast as `<`.
 */
export function belowConstant(key: string, value: number, width: number, signed = false): string {
  const runs = bitRuns(value, width).flatMap((run) =>
    // The inverted top bit stands alone: its term is the key bit itself.
    signed && run.hi === width - 1 && run.lo < run.hi
      ? [
          { ...run, hi: run.hi - 1 },
          { ...run, lo: run.hi },
        ]
      : [run],
  );
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
