/**
 * The contract every activation function fulfils. Adding a function means adding it (and
 * its derivative) to a file here and listing both in ./registry.ts.
 */

/** How f(-x) relates to f(x); a symmetric function is segmented on one half only. */
export type Symmetry =
  | { readonly kind: "none" }
  /** f(-x) = -f(x) (tanh, softsign) */
  | { readonly kind: "odd" }
  /** f(-x) = f(x) (sigmoid', tanh') */
  | { readonly kind: "even" }
  /** f(-x) = value - f(x) (sigmoid, with value 1) */
  | { readonly kind: "point"; readonly value: number }
  /** f(-x) = f(x) - x: x/2 plus an even function (gelu, silu, softplus) */
  | { readonly kind: "ramp" };

export const NO_SYMMETRY: Symmetry = { kind: "none" };

export interface ParamSpec {
  readonly name: "alpha" | "beta";
  readonly default: number;
  readonly description: string;
}

export type Params = Readonly<Partial<Record<ParamSpec["name"], number>>>;

export interface ActivationFunction {
  /** The name `--function` takes. */
  readonly name: string;
  /** One-line formula for `pwlgen list` and reports. */
  readonly formula: string;
  readonly params: readonly ParamSpec[];
  readonly symmetry: Symmetry;
  /** Name of this function's first derivative in the registry, if it has one. */
  readonly derivative?: string;
  /**
   * The double-precision reference for given parameters, accurate to a few ulps of a
   * double over the whole real line: no cancellation near saturation, no overflow in exp.
   */
  readonly make: (params: Params) => (x: number) => number;
}

/** The parameter's value, or its default. */
export function param(params: Params, spec: ParamSpec): number {
  return params[spec.name] ?? spec.default;
}
