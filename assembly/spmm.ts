// Kernels of the randomized truncated SVD (src/svd/): sparse × dense products with a CSR matrix
// (A·X, and Aᵀ·Y as the same gather on a transposed CSR copy; in f32 on an f32 copy of the dense
// operand) and the tall-skinny dense steps of the Cholesky-QR orthonormalisation (XᵀX and X·M
// with a small M). Dense matrices are f64, row-major, `stride` doubles per row (even, so every row
// is 16-byte aligned and the loops need no scalar tail); each call covers a range of rows, so
// workers split a product by row blocks and never write the same row.
// CSR layout: rowPtr[i] (u32) is the first entry of row i; an entry is 8 bytes: u32 column, f32 value.

/**
 * x32[i] = x[i] rounded to f32 for rows [rowBegin, rowEnd): the operand of spmmRowsF32, with
 * stride32 (a multiple of 4) floats per row, its padding zero.
 */
export function rowsToF32(x: usize, x32: usize, rowBegin: i32, rowEnd: i32, stride: i32, stride32: i32): void {
  for (let i = rowBegin; i < rowEnd; i++) {
    const from = x + <usize>i * (<usize>stride << 3);
    const to = x32 + <usize>i * (<usize>stride32 << 2);
    for (let j = 0; j < stride; j++) store<f32>(to + (<usize>j << 2), <f32>load<f64>(from + (<usize>j << 3)));
    for (let j = stride; j < stride32; j++) store<f32>(to + (<usize>j << 2), 0);
  }
}

/**
 * out[i] = Σ_entries value · x32[column] for rows [rowBegin, rowEnd), in f32 (four lanes a vector,
 * twice f64x2's, and half the bytes gathered per entry), summed entry by entry in `scratch` (this
 * worker's own stride32 floats) and widened to the f64 row of out (stride doubles). The power
 * iterations only need the span, re-orthonormalised in f64 after every product; f32 rounding
 * (about 1e-7 relative per term) stays far below the randomized SVD's own error.
 */
export function spmmRowsF32(rowPtr: usize, entries: usize, x32: usize, out: usize, scratch: usize, rowBegin: i32, rowEnd: i32, stride: i32, stride32: i32): void {
  const rowBytes = <usize>stride32 << 2;
  for (let i = rowBegin; i < rowEnd; i++) {
    for (let j: usize = 0; j < rowBytes; j += 16) v128.store(scratch + j, f32x4.splat(0));
    const end = load<u32>(rowPtr + (<usize>(i + 1) << 2));
    let e = load<u32>(rowPtr + (<usize>i << 2));
    // Four entries at a time: the scratch row is loaded and stored once per four (same order of sums).
    for (; e + 4 <= end; e += 4) {
      const at = entries + (<usize>e << 3);
      const v0 = f32x4.splat(load<f32>(at, 4));
      const v1 = f32x4.splat(load<f32>(at, 12));
      const v2 = f32x4.splat(load<f32>(at, 20));
      const v3 = f32x4.splat(load<f32>(at, 28));
      const x0 = x32 + <usize>load<u32>(at) * rowBytes;
      const x1 = x32 + <usize>load<u32>(at, 8) * rowBytes;
      const x2 = x32 + <usize>load<u32>(at, 16) * rowBytes;
      const x3 = x32 + <usize>load<u32>(at, 24) * rowBytes;
      for (let j: usize = 0; j < rowBytes; j += 16) {
        let acc = v128.load(scratch + j);
        acc = f32x4.add(acc, f32x4.mul(v0, v128.load(x0 + j)));
        acc = f32x4.add(acc, f32x4.mul(v1, v128.load(x1 + j)));
        acc = f32x4.add(acc, f32x4.mul(v2, v128.load(x2 + j)));
        acc = f32x4.add(acc, f32x4.mul(v3, v128.load(x3 + j)));
        v128.store(scratch + j, acc);
      }
    }
    for (; e < end; e++) {
      const at = entries + (<usize>e << 3);
      const v = f32x4.splat(load<f32>(at, 4));
      const xr = x32 + <usize>load<u32>(at) * rowBytes;
      for (let j: usize = 0; j < rowBytes; j += 16) {
        v128.store(scratch + j, f32x4.add(v128.load(scratch + j), f32x4.mul(v, v128.load(xr + j))));
      }
    }
    // Widen two floats at a time (stride is even; the padding past it is not written).
    const o = out + <usize>i * (<usize>stride << 3);
    for (let j = 0; j < stride; j += 2) {
      v128.store(o + (<usize>j << 3), f64x2.promote_low_f32x4(v128.load64_zero(scratch + (<usize>j << 2))));
    }
  }
}

/**
 * The CSR of Aᵀ (cols rows) from the CSR of A (rows rows) by a counting sort, O(nnz): Aᵀ·Y is then
 * the same row-parallel gather as A·X (spmmRowsF32), with no per-worker accumulators to merge. tRowPtr
 * has cols + 2 slots (the last one is scratch); each row of Aᵀ lists its columns (A's rows) in
 * increasing order, so the products are the same for any number of threads.
 */
export function transposeCsr(rowPtr: usize, entries: usize, rows: i32, cols: i32, tRowPtr: usize, tEntries: usize): void {
  memory.fill(tRowPtr, 0, (<usize>cols + 2) << 2);
  const nnz = load<u32>(rowPtr + (<usize>rows << 2));
  // Count row c of Aᵀ at tRowPtr[c + 2], so the prefix sum leaves row c's start at tRowPtr[c + 1].
  for (let e: u32 = 0; e < nnz; e++) {
    const at = tRowPtr + ((<usize>load<u32>(entries + (<usize>e << 3)) + 2) << 2);
    store<u32>(at, load<u32>(at) + 1);
  }
  for (let c = 2; c < cols + 2; c++) {
    const at = tRowPtr + (<usize>c << 2);
    store<u32>(at, load<u32>(at) + load<u32>(at - 4));
  }
  // Scatter: tRowPtr[c + 1] walks through row c, ending at the start of row c + 1.
  for (let i = 0; i < rows; i++) {
    const end = load<u32>(rowPtr + (<usize>(i + 1) << 2));
    for (let e = load<u32>(rowPtr + (<usize>i << 2)); e < end; e++) {
      const from = entries + (<usize>e << 3);
      const slot = tRowPtr + ((<usize>load<u32>(from) + 1) << 2);
      const to = load<u32>(slot);
      store<u32>(slot, to + 1);
      const at = tEntries + (<usize>to << 3);
      store<u32>(at, <u32>i);
      store<f32>(at, load<f32>(from, 4), 4);
    }
  }
}

/**
 * g += Σ x[i]ᵀ·x[i] over rows [rowBegin, rowEnd), upper triangle only (g[a][b] for b ≥ a rounded down
 * to even; the rest is left alone). x has `cols` columns; g is cols × stride. Rows four at a time, so
 * each row of g is loaded and stored once per four rows of x.
 */
export function gramRows(x: usize, g: usize, rowBegin: i32, rowEnd: i32, cols: i32, stride: i32): void {
  const rowBytes = <usize>stride << 3;
  const colBytes = <usize>cols << 3;
  let i = rowBegin;
  for (; i + 4 <= rowEnd; i += 4) {
    const x0 = x + <usize>i * rowBytes;
    const x1 = x0 + rowBytes;
    const x2 = x1 + rowBytes;
    const x3 = x2 + rowBytes;
    for (let a = 0; a < cols; a++) {
      const aBytes = <usize>a << 3;
      const s0 = f64x2.splat(load<f64>(x0 + aBytes));
      const s1 = f64x2.splat(load<f64>(x1 + aBytes));
      const s2 = f64x2.splat(load<f64>(x2 + aBytes));
      const s3 = f64x2.splat(load<f64>(x3 + aBytes));
      const gr = g + <usize>a * rowBytes;
      for (let j = aBytes & ~(<usize>15); j < colBytes; j += 16) {
        let s = v128.load(gr + j);
        s = f64x2.add(s, f64x2.mul(s0, v128.load(x0 + j)));
        s = f64x2.add(s, f64x2.mul(s1, v128.load(x1 + j)));
        s = f64x2.add(s, f64x2.mul(s2, v128.load(x2 + j)));
        s = f64x2.add(s, f64x2.mul(s3, v128.load(x3 + j)));
        v128.store(gr + j, s);
      }
    }
  }
  for (; i < rowEnd; i++) {
    const x0 = x + <usize>i * rowBytes;
    for (let a = 0; a < cols; a++) {
      const aBytes = <usize>a << 3;
      const s0 = f64x2.splat(load<f64>(x0 + aBytes));
      const gr = g + <usize>a * rowBytes;
      for (let j = aBytes & ~(<usize>15); j < colBytes; j += 16) {
        v128.store(gr + j, f64x2.add(v128.load(gr + j), f64x2.mul(s0, v128.load(x0 + j))));
      }
    }
  }
}

/**
 * out[i] = x[i] · M for rows [rowBegin, rowEnd): x has `inner` columns, M is inner × stride (its
 * columns past the wanted ones zero), out a different matrix with the same stride. Four rows at a
 * time, so each row of M is loaded once per four rows. `upper` = 1 says M is upper triangular: row a
 * of M is read from column a (rounded down to even) on, half the work.
 */
export function multiplySmall(x: usize, m: usize, out: usize, rowBegin: i32, rowEnd: i32, inner: i32, stride: i32, upper: i32): void {
  const rowBytes = <usize>stride << 3;
  let i = rowBegin;
  for (; i + 4 <= rowEnd; i += 4) {
    const x0 = x + <usize>i * rowBytes;
    const o0 = out + <usize>i * rowBytes;
    for (let j: usize = 0; j < 4 * rowBytes; j += 16) v128.store(o0 + j, f64x2.splat(0));
    for (let a = 0; a < inner; a++) {
      const aBytes = <usize>a << 3;
      const s0 = f64x2.splat(load<f64>(x0 + aBytes));
      const s1 = f64x2.splat(load<f64>(x0 + rowBytes + aBytes));
      const s2 = f64x2.splat(load<f64>(x0 + 2 * rowBytes + aBytes));
      const s3 = f64x2.splat(load<f64>(x0 + 3 * rowBytes + aBytes));
      const mr = m + <usize>a * rowBytes;
      for (let j: usize = upper ? aBytes & ~(<usize>15) : 0; j < rowBytes; j += 16) {
        const mv = v128.load(mr + j);
        const p0 = o0 + j;
        v128.store(p0, f64x2.add(v128.load(p0), f64x2.mul(s0, mv)));
        const p1 = p0 + rowBytes;
        v128.store(p1, f64x2.add(v128.load(p1), f64x2.mul(s1, mv)));
        const p2 = p1 + rowBytes;
        v128.store(p2, f64x2.add(v128.load(p2), f64x2.mul(s2, mv)));
        const p3 = p2 + rowBytes;
        v128.store(p3, f64x2.add(v128.load(p3), f64x2.mul(s3, mv)));
      }
    }
  }
  for (; i < rowEnd; i++) {
    const x0 = x + <usize>i * rowBytes;
    const o0 = out + <usize>i * rowBytes;
    for (let j: usize = 0; j < rowBytes; j += 16) v128.store(o0 + j, f64x2.splat(0));
    for (let a = 0; a < inner; a++) {
      const aBytes = <usize>a << 3;
      const s0 = f64x2.splat(load<f64>(x0 + aBytes));
      const mr = m + <usize>a * rowBytes;
      for (let j: usize = upper ? aBytes & ~(<usize>15) : 0; j < rowBytes; j += 16) {
        v128.store(o0 + j, f64x2.add(v128.load(o0 + j), f64x2.mul(s0, v128.load(mr + j))));
      }
    }
  }
}
