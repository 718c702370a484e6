// Vector primitives on f32 rows. Every row is 16-byte aligned and its length a multiple of 4
// (TypeScript pads the dimension), so the loops need no scalar tail.
//
// Each primitive has its SIMD body and, beside it, its plain twin: the branch on ASC_FEATURE_SIMD is
// resolved at compile time, so build/kernels.wasm holds only the SIMD code and the scalar build of
// the same kernels (`npm run build:wasm:scalar`, build/kernels.scalar.wasm, used by the
// micro-benchmark and tested against the SIMD build) only the plain loops.

/** Sum of a[i]*b[i] for i < n. Two accumulators hide the add latency; lanes are reduced once. */
@inline
export function dot(a: usize, b: usize, n: i32): f32 {
  if (ASC_FEATURE_SIMD) {
    let acc0 = f32x4.splat(0);
    let acc1 = f32x4.splat(0);
    const bytes = <usize>n << 2;
    let i: usize = 0;
    for (; i + 32 <= bytes; i += 32) {
      acc0 = f32x4.add(acc0, f32x4.mul(v128.load(a + i), v128.load(b + i)));
      acc1 = f32x4.add(acc1, f32x4.mul(v128.load(a + i, 16), v128.load(b + i, 16)));
    }
    if (i < bytes) acc0 = f32x4.add(acc0, f32x4.mul(v128.load(a + i), v128.load(b + i)));
    const acc = f32x4.add(acc0, acc1);
    return f32x4.extract_lane(acc, 0) + f32x4.extract_lane(acc, 1) + f32x4.extract_lane(acc, 2) + f32x4.extract_lane(acc, 3);
  } else {
    // Four accumulators, as the SIMD body's lanes: the same dependency-chain length.
    const bytes = <usize>n << 2;
    let s0: f32 = 0;
    let s1: f32 = 0;
    let s2: f32 = 0;
    let s3: f32 = 0;
    for (let i: usize = 0; i < bytes; i += 16) {
      s0 += load<f32>(a + i) * load<f32>(b + i);
      s1 += load<f32>(a + i, 4) * load<f32>(b + i, 4);
      s2 += load<f32>(a + i, 8) * load<f32>(b + i, 8);
      s3 += load<f32>(a + i, 12) * load<f32>(b + i, 12);
    }
    return (s0 + s1) + (s2 + s3);
  }
}

/** y += alpha * x */
@inline
export function axpy(alpha: f32, x: usize, y: usize, n: i32): void {
  if (ASC_FEATURE_SIMD) {
    const a = f32x4.splat(alpha);
    const bytes = <usize>n << 2;
    for (let i: usize = 0; i < bytes; i += 16) {
      v128.store(y + i, f32x4.add(v128.load(y + i), f32x4.mul(a, v128.load(x + i))));
    }
  } else {
    const bytes = <usize>n << 2;
    for (let i: usize = 0; i < bytes; i += 4) store<f32>(y + i, load<f32>(y + i) + alpha * load<f32>(x + i));
  }
}

/**
 * The negative-sampling step shared by skip-gram and CBOW, in one pass over the output row:
 * gradient += g * output; output += g * input.
 */
@inline
export function accumulateAndUpdate(g: f32, input: usize, output: usize, gradient: usize, n: i32): void {
  if (ASC_FEATURE_SIMD) {
    const gv = f32x4.splat(g);
    const bytes = <usize>n << 2;
    for (let i: usize = 0; i < bytes; i += 16) {
      const out = v128.load(output + i);
      v128.store(gradient + i, f32x4.add(v128.load(gradient + i), f32x4.mul(gv, out)));
      v128.store(output + i, f32x4.add(out, f32x4.mul(gv, v128.load(input + i))));
    }
  } else {
    const bytes = <usize>n << 2;
    for (let i: usize = 0; i < bytes; i += 4) {
      const out = load<f32>(output + i);
      store<f32>(gradient + i, load<f32>(gradient + i) + g * out);
      store<f32>(output + i, out + g * load<f32>(input + i));
    }
  }
}

/** x *= alpha */
@inline
export function scale(alpha: f32, x: usize, n: i32): void {
  if (ASC_FEATURE_SIMD) {
    const a = f32x4.splat(alpha);
    const bytes = <usize>n << 2;
    for (let i: usize = 0; i < bytes; i += 16) v128.store(x + i, f32x4.mul(a, v128.load(x + i)));
  } else {
    const bytes = <usize>n << 2;
    for (let i: usize = 0; i < bytes; i += 4) store<f32>(x + i, alpha * load<f32>(x + i));
  }
}

/** x = 0 */
@inline
export function zero(x: usize, n: i32): void {
  if (ASC_FEATURE_SIMD) {
    const z = f32x4.splat(0);
    const bytes = <usize>n << 2;
    for (let i: usize = 0; i < bytes; i += 16) v128.store(x + i, z);
  } else {
    const bytes = <usize>n << 2;
    for (let i: usize = 0; i < bytes; i += 4) store<f32>(x + i, 0);
  }
}

/** y += x */
@inline
export function add(x: usize, y: usize, n: i32): void {
  if (ASC_FEATURE_SIMD) {
    const bytes = <usize>n << 2;
    for (let i: usize = 0; i < bytes; i += 16) v128.store(y + i, f32x4.add(v128.load(y + i), v128.load(x + i)));
  } else {
    const bytes = <usize>n << 2;
    for (let i: usize = 0; i < bytes; i += 4) store<f32>(y + i, load<f32>(y + i) + load<f32>(x + i));
  }
}

/** Copies one 16-byte record (a co-occurrence or training record). */
@inline
export function copy16(to: usize, from: usize): void {
  if (ASC_FEATURE_SIMD) {
    v128.store(to, v128.load(from));
  } else {
    store<u64>(to, load<u64>(from));
    store<u64>(to, load<u64>(from, 8), 8);
  }
}

/** Swaps two 16-byte records. */
@inline
export function swap16(a: usize, b: usize): void {
  if (ASC_FEATURE_SIMD) {
    const va = v128.load(a);
    v128.store(a, v128.load(b));
    v128.store(b, va);
  } else {
    const a0 = load<u64>(a);
    const a1 = load<u64>(a, 8);
    store<u64>(a, load<u64>(b));
    store<u64>(a, load<u64>(b, 8), 8);
    store<u64>(b, a0);
    store<u64>(b, a1, 8);
  }
}
