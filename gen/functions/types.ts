/**
 * The contract every activation function fulfils. Adding a function means adding one
 * file that exports an ActivationFunction and listing it in ./registry.ts.
 */
export type Symmetry =
  /** no symmetry pwlgen can exploit */
  | "none"
  /** f(-x) = -f(x) (tanh, softsign) */
  | "odd"
  /** f(-x) = f(x) (sigmoid', tanh') */
  | "even"
  /** f(-x) = 1 - f(x) (sigmoid) */
  | "point";

export interface ActivationFunction {
  /** The name `--function` takes. */
  readonly name: string;
  /** One-line formula for `pwlgen list` and reports. */
  readonly formula: string;
  readonly symmetry: Symmetry;
  /**
   * The double-precision reference, accurate to a few ulps of a double over the whole
   * real line: no cancellation near saturation, no overflow in exp.
   */
  readonly evaluate: (x: number) => number;
}
