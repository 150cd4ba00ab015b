/**
 * The standard normal distribution, accurate to a few ulps of a double far into the
 * tails: GELU is x * Phi(x), and erfc(-x / sqrt 2) loses digits there because the
 * rounding of x / sqrt 2 is amplified by 2z^2. These follow W. J. Cody's rational
 * Chebyshev approximations (ACM TOMS Algorithm 715, ANORM), which take x directly and
 * evaluate exp(-x^2 / 2) on a split x, so no rounding is amplified.
 */

const INV_SQRT_2PI = 0.3989422804014327;

// Cody's coefficients for |x| <= 0.66291, 0.66291 < |x| <= sqrt(32), and beyond.
const A = [2.2352520354606839287, 161.02823106855587881, 1067.6894854603709582, 18154.981253343561249];
const A4 = 0.065682337918207449113;
const B = [47.20258190468824187, 976.09855173777669322, 10260.932208618978205, 45507.789335026729956];
const C = [
  0.39894151208813466764, 8.8831497943883759412, 93.506656132177855979, 597.27027639480026226,
  2494.5375852903726711, 6848.1904505362823326, 11602.651437647350124, 9842.7148383839780218,
];
const C8 = 1.0765576773720192317e-8;
const D = [
  22.266688044328115691, 235.38790178262499861, 1519.377599407554805, 6485.558298266760755,
  18615.571640885098091, 34900.952721145977266, 38912.003286093271411, 19685.429676859990727,
];
const P = [0.21589853405795699, 0.1274011611602473639, 0.022235277870649807, 0.001421619193227893466];
const P4 = 2.9112874951168792e-5;
const P5 = 0.02307344176494017303;
const Q = [1.28426009614491121, 0.468238212480865118, 0.0659881378689285515, 0.00378239633202758244];
const Q4 = 7.29751555083966205e-5;

/** exp(-x^2 / 2) without amplifying the rounding of x^2: x = h + (x - h) with h a multiple of 1/16. */
export function expHalfSquare(x: number): number {
  const h = Math.trunc(x * 16) / 16;
  const rest = (x - h) * (x + h);
  return Math.exp(-h * h * 0.5) * Math.exp(-rest * 0.5);
}

export function normalPdf(x: number): number {
  return INV_SQRT_2PI * expHalfSquare(x);
}

/** Phi(x), the probability that a standard normal variable is below x. */
export function normalCdf(x: number): number {
  const y = Math.abs(x);
  if (y <= 0.66291) {
    const z = y > 1.1e-16 ? x * x : 0;
    let num = A4 * z;
    let den = z;
    for (let i = 0; i < 3; i++) {
      num = (num + A[i]!) * z;
      den = (den + B[i]!) * z;
    }
    return 0.5 + (x * (num + A[3]!)) / (den + B[3]!);
  }
  let tail: number;
  if (y <= Math.sqrt(32)) {
    let num = C8 * y;
    let den = y;
    for (let i = 0; i < 7; i++) {
      num = (num + C[i]!) * y;
      den = (den + D[i]!) * y;
    }
    tail = ((num + C[7]!) / (den + D[7]!)) * expHalfSquare(y);
  } else {
    const z = 1 / (x * x);
    let num = P5 * z;
    let den = z;
    for (let i = 0; i < 4; i++) {
      num = (num + P[i]!) * z;
      den = (den + Q[i]!) * z;
    }
    const r = (z * (num + P4)) / (den + Q4);
    tail = ((INV_SQRT_2PI - r) / y) * expHalfSquare(y);
  }
  // tail is the probability beyond |x|.
  return x > 0 ? 1 - tail : tail;
}
