// A scalar PCA oracle for src/serve/pca.ts, written independently of it: the covariance in f64
// by the definition, its full eigen-decomposition by cyclic Jacobi rotations (no iteration from a
// start vector), and the projection on the two leading eigenvectors, signs fixed the same way
// (each axis's largest component positive).

export function referencePca2d(rows: ArrayLike<number>, count: number, dim: number): { coordinates: Float64Array; values: [number, number] } {
  const mean = new Float64Array(dim);
  for (let i = 0; i < count; i++) for (let j = 0; j < dim; j++) mean[j] += rows[i * dim + j] / count;
  const cov = new Float64Array(dim * dim);
  for (let i = 0; i < count; i++) {
    for (let a = 0; a < dim; a++) {
      const xa = rows[i * dim + a] - mean[a];
      for (let b = 0; b < dim; b++) cov[a * dim + b] += xa * (rows[i * dim + b] - mean[b]);
    }
  }
  const { values, vectors } = jacobiEigen(cov, dim);
  const order = [...values.keys()].sort((p, q) => values[q] - values[p]);
  const axes = order.slice(0, 2).map((k) => {
    const axis = Array.from({ length: dim }, (_, i) => vectors[i * dim + k]);
    let best = 0;
    for (let i = 1; i < dim; i++) if (Math.abs(axis[i]) > Math.abs(axis[best])) best = i;
    return axis[best] < 0 ? axis.map((v) => -v) : axis;
  });
  // one dimension: no second axis, its coordinates are zero
  while (axes.length < 2) axes.push(new Array<number>(dim).fill(0));
  const coordinates = new Float64Array(2 * count);
  for (let i = 0; i < count; i++) {
    for (let c = 0; c < 2; c++) {
      let s = 0;
      for (let j = 0; j < dim; j++) s += (rows[i * dim + j] - mean[j]) * axes[c][j];
      coordinates[2 * i + c] = s;
    }
  }
  return { coordinates, values: [values[order[0]], values[order[1]] ?? 0] };
}

/** Eigenvalues and eigenvectors (columns of `vectors`, row-major n × n) of a symmetric matrix. */
function jacobiEigen(matrix: Float64Array, n: number): { values: number[]; vectors: Float64Array } {
  const a = matrix.slice();
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  let frobenius = 0;
  for (const x of a) frobenius += x * x;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += a[p * n + q] ** 2;
    if (off <= 1e-28 * frobenius) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = a[p * n + q];
        if (Math.abs(apq) < 1e-300) continue;
        const theta = (a[q * n + q] - a[p * n + p]) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = a[k * n + p];
          const akq = a[k * n + q];
          a[k * n + p] = c * akp - s * akq;
          a[k * n + q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p * n + k];
          const aqk = a[q * n + k];
          a[p * n + k] = c * apk - s * aqk;
          a[q * n + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = v[k * n + p];
          const vkq = v[k * n + q];
          v[k * n + p] = c * vkp - s * vkq;
          v[k * n + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  return { values: Array.from({ length: n }, (_, i) => a[i * n + i]), vectors: v };
}
