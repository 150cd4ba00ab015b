import { Decimal } from "decimal.js";

/**
 * High-precision references (120 significant digits) for the activation functions,
 * written from their textbook formulas: at this precision cancellation and overflow do not
 * matter, so they are independent of the careful double-precision forms in gen/functions.
 */
const D = Decimal.clone({ precision: 120 });
type Dec = InstanceType<typeof D>;

const one = new D(1);
const PI = D.acos(-1);
const SQRT2 = new D(2).sqrt();

export function sigmoid(x: Dec): Dec {
  return one.div(one.plus(x.neg().exp()));
}

export function tanh(x: Dec): Dec {
  return D.tanh(x);
}

/** erfc by the Taylor series of erf for |z| < 3, and a continued fraction beyond. */
export function erfc(z: Dec): Dec {
  if (z.lt(0)) return new D(2).minus(erfc(z.neg()));
  if (z.lt(3)) {
    const P = Decimal.clone({ precision: 90 });
    const zz = new P(z);
    let term = zz;
    let sum = zz;
    for (let n = 1; n < 400; n++) {
      term = term.times(zz).times(zz).neg().div(n);
      const add = term.div(2 * n + 1);
      sum = sum.plus(add);
      if (add.abs().lt(new P(10).pow(-80))) break;
    }
    return new D(new P(1).minus(sum.times(2).div(new P(PI).sqrt())));
  }
  // erfc(z) = exp(-z^2)/sqrt(pi) * 1/(z + (1/2)/(z + 1/(z + (3/2)/(z + ...)))), evaluated bottom-up.
  let tail = z;
  for (let k = 300; k >= 1; k--) tail = z.plus(new D(k).div(2).div(tail));
  return z.times(z).neg().exp().div(PI.sqrt()).div(tail);
}

export function gelu(x: Dec): Dec {
  return x.times(erfc(x.neg().div(SQRT2))).div(2);
}

export function dgelu(x: Dec): Dec {
  const pdf = x.times(x).div(-2).exp().div(PI.times(2).sqrt());
  return erfc(x.neg().div(SQRT2)).div(2).plus(x.times(pdf));
}

const C = new D(2).div(PI).sqrt();
const K = new D("0.044715");

// (1 + tanh u) / 2 = sigmoid(2u): the same formula, without needing 250 digits in the tail.
export function geluTanh(x: Dec): Dec {
  const u = C.times(x.plus(K.times(x.pow(3))));
  return x.times(sigmoid(u.times(2)));
}

export function dgeluTanh(x: Dec): Dec {
  const u = C.times(x.plus(K.times(x.pow(3))));
  const s = sigmoid(u.times(2));
  const du = C.times(one.plus(K.times(3).times(x.times(x))));
  // d/dx x sigmoid(2u) = sigmoid(2u) + x * 2 sigmoid(2u) (1 - sigmoid(2u)) u'
  return s.plus(x.times(s).times(one.minus(s)).times(du).times(2));
}

/** The exact value of a double (numeric parameters are doubles, not the decimals typed). */
export function exact(n: number): Dec {
  let k = 0;
  while (!Number.isInteger(n * 2 ** k)) k++;
  return new D(BigInt(n * 2 ** k).toString()).div(new D(2).pow(k));
}

export function silu(beta: number): (x: Dec) => Dec {
  const b = exact(beta);
  return (x) => x.times(sigmoid(x.times(b)));
}

export function dsilu(beta: number): (x: Dec) => Dec {
  const b = exact(beta);
  return (x) => {
    const s = sigmoid(x.times(b));
    return s.plus(x.times(b).times(s).times(one.minus(s)));
  };
}

export function softplus(x: Dec): Dec {
  return one.plus(x.exp()).ln();
}

export function elu(alpha: number): (x: Dec) => Dec {
  const a = exact(alpha);
  return (x) => (x.gt(0) ? x : x.exp().minus(1).times(a));
}

export function delu(alpha: number): (x: Dec) => Dec {
  const a = exact(alpha);
  return (x) => (x.gt(0) ? one : x.exp().times(a));
}

const LAMBDA = new D("1.0507009873554804934193349852946");
const SELU_ALPHA = new D("1.6732632423543772848170429916717");

export function selu(x: Dec): Dec {
  return LAMBDA.times(x.gt(0) ? x : x.exp().minus(1).times(SELU_ALPHA));
}

export function dselu(x: Dec): Dec {
  return LAMBDA.times(x.gt(0) ? one : x.exp().times(SELU_ALPHA));
}

export function mish(x: Dec): Dec {
  return x.times(D.tanh(softplus(x)));
}

export function dmish(x: Dec): Dec {
  const sp = softplus(x);
  const t = D.tanh(sp);
  return t.plus(x.times(one.minus(t.times(t))).times(sigmoid(x)));
}

export function softsign(x: Dec): Dec {
  return x.div(one.plus(x.abs()));
}

export function dsoftsign(x: Dec): Dec {
  return one.div(one.plus(x.abs()).pow(2));
}

export function dsigmoid(x: Dec): Dec {
  const s = sigmoid(x);
  return s.times(one.minus(s));
}

export function dtanh(x: Dec): Dec {
  const t = D.tanh(x);
  return one.minus(t.times(t));
}

export function exp(x: Dec): Dec {
  return x.exp();
}

export { D as Precise };
export type { Dec };
