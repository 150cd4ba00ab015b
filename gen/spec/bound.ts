/**
 * An error target as the user writes it: a real number (`0.001`, `1e-3`), a power of two
 * (`2^-10`, `2**-10`), or a multiple of the output ulp (`1ulp`, `0.75ulp`).
 */
export type BoundSpec =
  { readonly kind: "absolute"; readonly value: number } | { readonly kind: "ulp"; readonly value: number };

const NUMBER = String.raw`(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?`;
const PLAIN = new RegExp(`^${NUMBER}$`, "i");
const POWER = /^2\s*(?:\^|\*\*)\s*([+-]?\d+)$/;
const ULP = new RegExp(`^(${NUMBER})\\s*(?:ulps?|lsbs?)$`, "i");

/** Parses a bound; undefined when the text is not one. */
export function parseBound(input: string | number): BoundSpec | undefined {
  if (typeof input === "number") {
    return Number.isFinite(input) && input > 0 ? { kind: "absolute", value: input } : undefined;
  }
  const text = input.trim();
  let spec: BoundSpec | undefined;
  const power = POWER.exec(text);
  const ulps = ULP.exec(text);
  if (PLAIN.test(text)) spec = { kind: "absolute", value: Number(text) };
  else if (power) spec = { kind: "absolute", value: 2 ** Number(power[1]) };
  else if (ulps) spec = { kind: "ulp", value: Number(ulps[1]) };
  return spec && Number.isFinite(spec.value) && spec.value > 0 ? spec : undefined;
}

export function boundText(spec: BoundSpec): string {
  return spec.kind === "ulp" ? `${spec.value}ulp` : String(spec.value);
}

/** A positive real shown as 2^k when it is a power of two, else with 6 significant digits. */
export function showReal(value: number): string {
  const log = Math.log2(value);
  if (Number.isInteger(log)) return `2^${log}`;
  return value < 1e-3 ? value.toExponential(5) : String(Number(value.toPrecision(6)));
}
