/**
 * L2-regularised logistic regression over binary features, small enough to read: the starter-bug score's
 * weights and each repository's learned model are fitted with it. Examples are sparse (the indices of the
 * features that fired), so thousands of word features cost only what fires. The fit minimises
 *
 *   mean log-loss + lambda / 2 * |w - prior|^2     (the bias is not regularised; the prior is 0 unless given)
 *
 * A prior other than 0 is what people believed before the data (the hand-set weights): where the data has no
 * evidence on a feature (a signal that never fired), its weight stays at the prior instead of falling to 0.
 * by Newton's method with conjugate-gradient steps (the Hessian is never formed): the objective is smooth and
 * strictly convex, so it converges in a few steps to the one optimum, deterministically.
 */

export interface Example {
  /** Indices of the features that fired (value 1); every other feature is 0. */
  x: readonly number[];
  /** 1: a starter (or: carries the label); 0: not. */
  y: 0 | 1;
}

export interface LogisticModel {
  bias: number;
  weights: number[];
}

export const sigmoid = (z: number): number => (z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z)));

export function margin(model: LogisticModel, x: readonly number[]): number {
  let z = model.bias;
  for (const i of x) z += model.weights[i] ?? 0;
  return z;
}

export const probability = (model: LogisticModel, x: readonly number[]): number => sigmoid(margin(model, x));

/** Fits the model to `examples` over `features` columns. `lambda` > 0 keeps weights small (and the fit unique). */
export function fitLogistic(
  examples: readonly Example[],
  features: number,
  lambda: number,
  opts: { prior?: readonly number[]; maxNewtonSteps?: number; tolerance?: number } = {},
): LogisticModel {
  if (!(lambda > 0)) throw new Error('fitLogistic: lambda must be positive');
  const n = examples.length;
  const dim = features + 1; // the bias is the last coordinate
  const prior = Float64Array.from({ length: features }, (_, i) => opts.prior?.[i] ?? 0);
  const theta = new Float64Array(dim);
  theta.set(prior);
  if (n === 0) return { bias: 0, weights: Array.from(prior) };
  const positives = examples.reduce((s, e) => s + e.y, 0);
  // Start from the base rate: with no feature the model says how common the class is.
  theta[features] = Math.log((positives + 0.5) / (n - positives + 0.5));
  const maxSteps = opts.maxNewtonSteps ?? 30;
  const tolerance = opts.tolerance ?? 1e-7;
  const p = new Float64Array(n);

  const dot = (x: readonly number[], v: Float64Array) => {
    let z = v[features]!;
    for (const i of x) z += v[i]!;
    return z;
  };
  const objective = (t: Float64Array) => {
    let loss = 0;
    for (let k = 0; k < n; k++) {
      const z = dot(examples[k]!.x, t);
      // log(1 + e^z) - y z, computed without overflow
      loss += (z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z))) - examples[k]!.y * z;
    }
    let reg = 0;
    for (let i = 0; i < features; i++) reg += (t[i]! - prior[i]!) ** 2;
    return loss / n + (lambda / 2) * reg;
  };

  for (let step = 0; step < maxSteps; step++) {
    const grad = new Float64Array(dim);
    for (let k = 0; k < n; k++) {
      const e = examples[k]!;
      p[k] = sigmoid(dot(e.x, theta));
      const r = (p[k]! - e.y) / n;
      for (const i of e.x) grad[i]! += r;
      grad[features]! += r;
    }
    for (let i = 0; i < features; i++) grad[i]! += lambda * (theta[i]! - prior[i]!);
    const gradNorm = Math.sqrt(grad.reduce((s, g) => s + g * g, 0));
    if (gradNorm < tolerance) break;
    // Solve H d = -grad by conjugate gradients, H v = X^T D X v / n + lambda v (no lambda on the bias).
    const hessianTimes = (v: Float64Array) => {
      const out = new Float64Array(dim);
      for (let k = 0; k < n; k++) {
        const e = examples[k]!;
        const w = (p[k]! * (1 - p[k]!)) / n;
        if (w === 0) continue;
        const xv = dot(e.x, v) * w;
        for (const i of e.x) out[i]! += xv;
        out[features]! += xv;
      }
      for (let i = 0; i < features; i++) out[i]! += lambda * v[i]!;
      out[features]! += 1e-10 * v[features]!; // keeps the bias direction well-posed when every p is 0 or 1
      return out;
    };
    const d = conjugateGradient(hessianTimes, grad.map((g) => -g), Math.min(dim, 200), Math.min(0.1, Math.sqrt(gradNorm)) * gradNorm);
    // Backtracking line search: Newton's full step is almost always taken near the optimum.
    const before = objective(theta);
    const slope = d.reduce((s, di, i) => s + di * grad[i]!, 0);
    let alpha = 1;
    let next = theta;
    for (let tries = 0; tries < 30; tries++) {
      next = theta.map((t, i) => t + alpha * d[i]!);
      if (objective(next) <= before + 1e-4 * alpha * slope) break;
      alpha /= 2;
    }
    theta.set(next);
    if (Math.abs(alpha * slope) < tolerance * tolerance) break;
  }
  return { bias: theta[features]!, weights: Array.from(theta.subarray(0, features)) };
}

function conjugateGradient(times: (v: Float64Array) => Float64Array, b: Float64Array, maxIterations: number, tolerance: number): Float64Array {
  const x = new Float64Array(b.length);
  const r = Float64Array.from(b);
  const dir = Float64Array.from(b);
  let rr = r.reduce((s, v) => s + v * v, 0);
  for (let it = 0; it < maxIterations && Math.sqrt(rr) > tolerance; it++) {
    const hd = times(dir);
    const dhd = dir.reduce((s, v, i) => s + v * hd[i]!, 0);
    if (dhd <= 0) break;
    const a = rr / dhd;
    for (let i = 0; i < x.length; i++) {
      x[i]! += a * dir[i]!;
      r[i]! -= a * hd[i]!;
    }
    const rrNext = r.reduce((s, v) => s + v * v, 0);
    const beta = rrNext / rr;
    rr = rrNext;
    for (let i = 0; i < dir.length; i++) dir[i] = r[i]! + beta * dir[i]!;
  }
  return x;
}
