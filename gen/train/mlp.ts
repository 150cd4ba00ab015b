import { uniformFloat64 } from "pure-rand/distribution/uniformFloat64";
import type { xoroshiro128plus } from "pure-rand/generator/xoroshiro128plus";

/**
 * A small multilayer perceptron for binary classification: hidden layers with the
 * activation under study, one sigmoid output, binary cross-entropy. Plain loops over
 * Float64Arrays.
 */
export interface Activation {
  /** a = f(z), elementwise. */
  forward(z: Float64Array, a: Float64Array): void;
  /** d = f'(z), elementwise: the back-propagation step whose cost is compared. */
  derivative(z: Float64Array, d: Float64Array): void;
}

export type Rng = ReturnType<typeof xoroshiro128plus>;

interface Layer {
  readonly inputs: number;
  readonly outputs: number;
  readonly weights: Float64Array; // outputs x inputs, row-major
  readonly bias: Float64Array;
}

export class Mlp {
  readonly layers: Layer[];

  constructor(sizes: readonly number[], rng: Rng) {
    this.layers = [];
    for (let l = 1; l < sizes.length; l++) {
      const inputs = sizes[l - 1]!;
      const outputs = sizes[l]!;
      // Glorot uniform.
      const limit = Math.sqrt(6 / (inputs + outputs));
      const weights = new Float64Array(inputs * outputs);
      for (let i = 0; i < weights.length; i++) weights[i] = (2 * uniformFloat64(rng) - 1) * limit;
      this.layers.push({ inputs, outputs, weights, bias: new Float64Array(outputs) });
    }
  }

  /** The hidden layers' pre-activations for one sample, concatenated. */
  hiddenPreActivations(x: Float64Array, activation: Activation): number[] {
    const values: number[] = [];
    let a = x;
    for (let l = 0; l < this.layers.length - 1; l++) {
      const z = affine(this.layers[l]!, a);
      values.push(...z);
      const next = new Float64Array(z.length);
      activation.forward(z, next);
      a = next;
    }
    return values;
  }

  /** Probability of class 1 for one sample. */
  predict(x: Float64Array, activation: Activation): number {
    let a = x;
    for (let l = 0; l < this.layers.length; l++) {
      const z = affine(this.layers[l]!, a);
      if (l === this.layers.length - 1) return sigmoid(z[0]!);
      const next = new Float64Array(z.length);
      activation.forward(z, next);
      a = next;
    }
    throw new Error("internal: empty network");
  }

  /**
   * Forward and backward pass over a batch; accumulates the mean gradient into `grads`
   * (same shapes as the layers) and returns the batch's mean loss.
   */
  gradient(
    batch: readonly Float64Array[],
    labels: readonly number[],
    activation: Activation,
    grads: Gradients,
  ): number {
    grads.zero();
    let loss = 0;
    const depth = this.layers.length;
    for (let s = 0; s < batch.length; s++) {
      const inputs: Float64Array[] = [batch[s]!];
      const pre: Float64Array[] = [];
      for (let l = 0; l < depth; l++) {
        const z = affine(this.layers[l]!, inputs[l]!);
        pre.push(z);
        if (l < depth - 1) {
          const a = new Float64Array(z.length);
          activation.forward(z, a);
          inputs.push(a);
        }
      }
      const p = sigmoid(pre[depth - 1]![0]!);
      const y = labels[s]!;
      loss -= y * Math.log(Math.max(p, 1e-12)) + (1 - y) * Math.log(Math.max(1 - p, 1e-12));
      let delta = Float64Array.of(p - y);
      for (let l = depth - 1; l >= 0; l--) {
        const layer = this.layers[l]!;
        const input = inputs[l]!;
        const gw = grads.weights[l]!;
        const gb = grads.bias[l]!;
        for (let o = 0; o < layer.outputs; o++) {
          gb[o]! += delta[o]!;
          for (let i = 0; i < layer.inputs; i++) gw[o * layer.inputs + i]! += delta[o]! * input[i]!;
        }
        if (l === 0) break;
        const back = new Float64Array(layer.inputs);
        for (let o = 0; o < layer.outputs; o++) {
          for (let i = 0; i < layer.inputs; i++) back[i]! += layer.weights[o * layer.inputs + i]! * delta[o]!;
        }
        const slope = new Float64Array(layer.inputs);
        activation.derivative(pre[l - 1]!, slope);
        for (let i = 0; i < back.length; i++) back[i]! *= slope[i]!;
        delta = back;
      }
    }
    grads.scale(1 / batch.length);
    return loss / batch.length;
  }
}

function affine(layer: Layer, input: Float64Array): Float64Array {
  const z = new Float64Array(layer.outputs);
  for (let o = 0; o < layer.outputs; o++) {
    let sum = layer.bias[o]!;
    for (let i = 0; i < layer.inputs; i++) sum += layer.weights[o * layer.inputs + i]! * input[i]!;
    z[o] = sum;
  }
  return z;
}

function sigmoid(x: number): number {
  return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
}

export class Gradients {
  readonly weights: Float64Array[];
  readonly bias: Float64Array[];

  constructor(model: Mlp) {
    this.weights = model.layers.map((layer) => new Float64Array(layer.weights.length));
    this.bias = model.layers.map((layer) => new Float64Array(layer.bias.length));
  }

  zero(): void {
    for (const g of [...this.weights, ...this.bias]) g.fill(0);
  }

  scale(factor: number): void {
    for (const g of [...this.weights, ...this.bias]) for (let i = 0; i < g.length; i++) g[i]! *= factor;
  }
}

export interface Optimizer {
  step(model: Mlp, grads: Gradients): void;
}

/** SGD with momentum. */
export function sgd(model: Mlp, rate: number, momentum: number): Optimizer {
  const velocity = new Gradients(model);
  return {
    step(m, grads) {
      m.layers.forEach((layer, l) => {
        update(layer.weights, grads.weights[l]!, velocity.weights[l]!);
        update(layer.bias, grads.bias[l]!, velocity.bias[l]!);
      });
    },
  };
  function update(params: Float64Array, grad: Float64Array, v: Float64Array): void {
    for (let i = 0; i < params.length; i++) {
      v[i] = momentum * v[i]! - rate * grad[i]!;
      params[i]! += v[i]!;
    }
  }
}

/** Adam (Kingma and Ba 2015) with the usual constants. */
export function adam(model: Mlp, rate: number): Optimizer {
  const m1 = new Gradients(model);
  const m2 = new Gradients(model);
  let t = 0;
  const beta1 = 0.9;
  const beta2 = 0.999;
  return {
    step(m, grads) {
      t++;
      const c1 = 1 - beta1 ** t;
      const c2 = 1 - beta2 ** t;
      m.layers.forEach((layer, l) => {
        update(layer.weights, grads.weights[l]!, m1.weights[l]!, m2.weights[l]!);
        update(layer.bias, grads.bias[l]!, m1.bias[l]!, m2.bias[l]!);
      });
      function update(params: Float64Array, grad: Float64Array, a: Float64Array, b: Float64Array): void {
        for (let i = 0; i < params.length; i++) {
          a[i] = beta1 * a[i]! + (1 - beta1) * grad[i]!;
          b[i] = beta2 * b[i]! + (1 - beta2) * grad[i]! * grad[i]!;
          params[i]! -= (rate * (a[i]! / c1)) / (Math.sqrt(b[i]! / c2) + 1e-8);
        }
      }
    },
  };
}
