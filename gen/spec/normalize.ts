import { type FixFormat, formatName, ulp } from "../fixed/format.js";
import { type BoundSpec, boundText } from "./bound.js";
import { buildsTrees, choosesByCost } from "../segment/problem.js";
import { DEFAULT_TARGET, TARGETS } from "../synth/targets.js";
import { canonicalHash } from "./load.js";
import { type DesignSpec, defaultModuleName } from "./schema.js";

const DEFAULT_FOLD_FORM = TARGETS[DEFAULT_TARGET].foldForm;

/**
 * A spec as plain JSON, the way a user writes it (formats as text, bounds as numbers or
 * ulps), with every default filled in: what manifest.json records and --spec reads back.
 */
export function specJson(spec: DesignSpec): Record<string, unknown> {
  const format = (f: FixFormat | undefined): string | undefined => f && formatName(f);
  const bound = (b: BoundSpec | undefined): string | number | undefined =>
    b && (b.kind === "ulp" ? boundText(b) : b.value);
  return {
    ...spec,
    in: formatName(spec.in),
    out: formatName(spec.out),
    maxError: bound(spec.maxError),
    slopeFormat: format(spec.slopeFormat),
    interceptFormat: format(spec.interceptFormat),
    dout: format(spec.dout),
    dmaxError: bound(spec.dmaxError),
    module: spec.module ?? defaultModuleName(spec),
  };
}

/**
 * The spec hash: SHA-256 of the canonical JSON of the normalized spec. Key order, defaults
 * left out or spelled out, and how a bound is written (2^-10, 0.0009765625, 32ulp of a
 * 15-fraction-bit output) do not change it. Options added in later versions enter it only
 * when not at their default, so the hashes of earlier outputs (sweep caches) stay valid.
 */
export function specHash(spec: DesignSpec): string {
  const real = (b: BoundSpec | undefined, format: FixFormat | undefined): number | undefined =>
    b && (b.kind === "ulp" ? b.value * ulp(format ?? spec.out) : b.value);
  const byCost = choosesByCost(spec.method);
  const form = TARGETS[spec.target].foldForm;
  const words = TARGETS[spec.target].treeWords;
  return canonicalHash({
    ...specJson(spec),
    maxError: real(spec.maxError, spec.out),
    dmaxError: real(spec.dmaxError, spec.dout),
    exactZero: spec.exactZero || undefined,
    // The target shapes the methods that choose by cost; the others only through how the
    // RTL writes a fold's arithmetic and a small tree (the target's foldForm and treeWords,
    // hashed when not the default's; treeWords only for methods that build trees).
    target: byCost ? spec.target : undefined,
    foldForm: byCost || form === DEFAULT_FOLD_FORM ? undefined : form,
    treeWords:
      byCost || !buildsTrees(spec.method) || words === TARGETS[DEFAULT_TARGET].treeWords ? undefined : words,
    selectBy: spec.selectBy === "estimate" ? undefined : spec.selectBy,
  });
}
