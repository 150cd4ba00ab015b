/**
 * The standard normal distribution, accurate to a few ulps of a double far into the
 * tails: GELU is x * Phi(x), and erfc(-x / sqrt 2) loses digits there because the
 * rounding of x / sqrt 2 is amplified by 2z^2. These follow W. J. Cody's rational
 * Chebyshev approximations (ACM TOMS Algorithm 715, ANORM), which take x directly and
 * evaluate exp(-x^2 / 2) on a split x, so no rounding is amplified.
 */

const INV_SQRT_2PI = 0.3989422804014327;

// Cody's coefficients for |x| <= 0.66291, 0.66291 < |x| <= sqrt(32), and beyond.
const A = [2.2352520354606837, 161.02823106855587, 1067.6894854603709, 18154.98125334356];
const A4 = 0.06568233791820745;
const B = [47.202581904688245, 976.0985517377767, 10260.932208618979, 45507.78933502673];
const C = [
  0.39894151208813466, 8.883149794388377, 93.50665613217785, 597.2702763948002, 2494.5375852903726,
  6848.190450536283, 11602.65143764735, 9842.714838383978,
];
const C8 = 1.0765576773720192e-8;
const D = [
  22.266688044328117, 235.387901782625, 1519.3775994075547, 6485.558298266761, 18615.571640885097,
  34900.95272114598, 38912.00328609327, 19685.429676859992,
];
const P = [0.215898534057957, 0.12740116116024736, 0.022235277870649807, 0.0014216191932278934];
const P4 = 0.000029112874951168793;
const P5 = 0.023073441764940174;
const Q = [1.284260096144911, 0.4682382124808651, 0.06598813786892856, 0.0037823963320275824];
const Q4 = 0.00007297515550839662;

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
