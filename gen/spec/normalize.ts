import { formatName, ulp } from "../fixed/format.js";
import { canonicalHash } from "./load.js";
import { type DesignSpec, defaultModuleName } from "./schema.js";

/**
 * A spec as plain JSON, the way a user writes it (formats as text, bounds as numbers or
 * ulps), with every default filled in: what manifest.json records and --spec reads back.
 */
export function specJson(spec: DesignSpec): Record<string, unknown> {
  return {
    ...spec,
    in: formatName(spec.in),
    out: formatName(spec.out),
    maxError:
      spec.maxError && (spec.maxError.kind === "ulp" ? `${spec.maxError.value}ulp` : spec.maxError.value),
    slopeFormat: spec.slopeFormat && formatName(spec.slopeFormat),
    interceptFormat: spec.interceptFormat && formatName(spec.interceptFormat),
    module: spec.module ?? defaultModuleName(spec),
  };
}

/**
 * The spec hash: SHA-256 of the canonical JSON of the normalized spec. Key order, defaults
 * left out or spelled out, and how the bound is written (2^-10, 0.0009765625, 32ulp of a
 * 15-fraction-bit output) do not change it.
 */
export function specHash(spec: DesignSpec): string {
  const bound =
    spec.maxError &&
    (spec.maxError.kind === "ulp" ? spec.maxError.value * ulp(spec.out) : spec.maxError.value);
  return canonicalHash({ ...specJson(spec), maxError: bound });
}
